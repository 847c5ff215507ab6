import { DETECTORS } from '../detectors/registry.js';
import { DETECTOR_IDS, type Finding } from '../findings/types.js';
import type { ComparedFinding, Comparison } from './compare.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import {
  alphaOf,
  formatNumber,
  formatP,
  repeatOffenders,
  SEVERITIES,
  severityCounts,
  totalTests,
} from './format.js';
import { describeReview, type ReviewMatch, reviewCounts } from './reviews.js';
import { specs } from './specs.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';
import { vegaBundles } from './vegaBundles.js';

/** Options of {@link renderHtml}. */
export interface HtmlOptions extends SpecOptions {
  /** A comparison with a baseline run (from `compareFindings`): adds its section and JSON block. Default: none. */
  comparison?: Comparison;
  /** The findings' reviews (from `matchReviews`): each reviewed finding says so. Default: none. */
  reviews?: ReviewMatch;
  /** The report's heading. Default `'Score-gaming report'`. */
  title?: string;
  /** Precomputed views (from `specs`); default: computed here. */
  views?: ReportView[];
}

/** How many findings the executive summary quotes. */
const TOP_FINDINGS = 5;

/**
 * The self-contained offline HTML report: executive summary, comparison
 * with a baseline (when given), the ranked findings with summaries and
 * evidence, a section per detector (those that did not run say why), the
 * data-quality section and the run's parameters. vega, vega-lite and
 * vega-embed are inlined and the charts' specs are embedded as JSON, so the
 * file opens with no network; a Content-Security-Policy forbids any request
 * anyway. Every string from the data is HTML-escaped; specs are embedded
 * with `<`, `>` and `&` as JSON escapes. Deterministic: the same result gives
 * the same bytes (the run's timestamp is part of the result).
 */
export function renderHtml(result: ReportInput, options: HtmlOptions = {}): string {
  const views = options.views ?? specs(result, options);
  const heading = options.title ?? 'Score-gaming report';
  const byDetector = new Map(views.filter((v) => v.detector).map((v) => [v.detector, v]));
  const overview = views.filter((v) => !v.detector && v.id !== 'data-quality');
  const quality = views.find((v) => v.id === 'data-quality');
  const date = result.run.generatedAt.slice(0, 10);
  const sections = [
    executiveSummary(result, options.reviews),
    options.comparison ? comparisonSection(options.comparison) : '',
    findingsSection(result, options.reviews),
    `<section id="overview"><h2>Overview</h2>${overview.map(chart).join('\n')}</section>`,
    `<section id="detectors"><h2>Detectors</h2>${DETECTOR_IDS.map((id) => detectorSection(result, id, byDetector.get(id))).join('\n')}</section>`,
    dataQualitySection(result, quality),
    parametersSection(result),
  ];
  const toc = [
    ['summary', 'Summary'],
    ...(options.comparison ? [['comparison', 'Changes since baseline']] : []),
    ['findings', 'Findings'],
    ['overview', 'Overview'],
    ['detectors', 'Detectors'],
    ['data-quality', 'Data quality'],
    ['parameters', 'Parameters'],
  ];
  const payload = views.map((v) => ({ id: v.id, spec: v.spec }));
  const [vega, vegaLite, vegaEmbed] = vegaBundles();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="nps-gaming">
<title>${h(heading)} — ${h(date)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${h(heading)}</h1>
<p class="meta">Generated ${h(result.run.generatedAt)} · ${result.run.inputs.surveys} surveys · ${result.run.inputs.concessions} concessions${result.run.inputs.interactions === undefined ? '' : ` · ${result.run.inputs.interactions} interactions`}</p>
<nav>${toc.map(([id, text]) => `<a href="#${id}">${text}</a>`).join(' · ')}</nav>
</header>
<main>
${sections.filter(Boolean).join('\n')}
</main>
<footer><p>A finding is a lead for a human review, with the evidence to check it, never a verdict. Severity ranks how sure the statistics are (run-wide q-value), not how bad the behaviour is.</p></footer>
<script type="application/json" id="nps-gaming-specs">${jsonForScript(payload)}</script>
${options.comparison ? `<script type="application/json" id="nps-gaming-comparison">${jsonForScript(options.comparison)}</script>\n` : ''}<script>${vega}</script>
<script>${vegaLite}</script>
<script>${vegaEmbed}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}

/** Renders every chart: each spec into its `div[data-view]`, SVG renderer, no action menu (it would link out). */
const BOOT = `(function () {
  var views = JSON.parse(document.getElementById('nps-gaming-specs').textContent);
  var pending = views.map(function (v) {
    var el = document.querySelector('[data-view="' + v.id + '"] .chart-body');
    if (!el) return Promise.resolve();
    return vegaEmbed(el, v.spec, { renderer: 'svg', actions: false, tooltip: { theme: 'light' } })
      .then(function () { el.parentNode.setAttribute('data-rendered', 'true'); })
      .catch(function (error) {
        el.textContent = 'This chart could not be drawn: ' + error.message;
        el.parentNode.setAttribute('data-rendered', 'error');
        console.error(error);
      });
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts', 'done'); });
})();`;

const STYLE = `
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #e0e0e0; --high: #b2182b; --medium: #d6604d; --low: #b7950b; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); margin: 0; background: #fafafa; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 36px 0 12px; font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { margin: 28px 0 6px; font-size: 17px; }
.meta, .muted { color: var(--muted); }
nav a { color: #1a5fb4; text-decoration: none; }
section { margin-bottom: 24px; }
table { border-collapse: collapse; width: 100%; background: white; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code, .id { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: white; }
.badge.high { background: var(--high); } .badge.medium { background: var(--medium); } .badge.low { background: var(--low); }
.review { margin: 4px 0; padding: 2px 8px; border-left: 3px solid #2e7d32; font-size: 13px; }
.review.expired, .review.outdated { border-left-color: var(--medium); }
.badge.new { background: #1a5fb4; } .badge.persisting { background: #5f6368; } .badge.resolved { background: #2e7d32; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 140px; }
.card .n { font-size: 24px; font-weight: 700; }
.chart { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 12px 0; overflow-x: auto; }
.chart p { margin: 0 0 8px; color: var(--muted); font-size: 14px; }
details summary { cursor: pointer; color: #1a5fb4; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; font-size: 12px; max-height: 360px; }
.status-skipped { color: var(--medium); font-weight: 600; }
footer { padding: 24px; color: var(--muted); font-size: 13px; }
`;

function chart(view: ReportView): string {
  return `<figure class="chart" data-view="${h(view.id)}"><p>${h(view.description)}</p><div class="chart-body" role="img" aria-label="${h(view.title)}"></div></figure>`;
}

function badge(kind: string): string {
  return `<span class="badge ${h(kind)}">${h(kind)}</span>`;
}

function entityText(f: { entity: { type: string; id: string } }): string {
  return `${h(f.entity.type)} <span class="id">${h(f.entity.id)}</span>`;
}

function executiveSummary(result: ReportInput, reviews: ReviewMatch | undefined): string {
  const counts = severityCounts(result);
  const alpha = alphaOf(result);
  const ran = Object.keys(result.run.tested).length;
  const skipped = result.run.skipped;
  const offenders = repeatOffenders(result);
  const quarantined = Object.values(result.dataQuality).reduce((a, q) => a + (q?.quarantined ?? 0), 0);
  const top = result.findings.slice(0, TOP_FINDINGS);
  return `<section id="summary"><h2>Executive summary</h2>
<div class="cards">
<div class="card"><div class="n">${result.findings.length}</div>findings at q ≤ ${h(String(alpha))}</div>
${SEVERITIES.map((s) => `<div class="card"><div class="n">${counts[s]}</div>${badge(s)}</div>`).join('\n')}
<div class="card"><div class="n">${totalTests(result)}</div>tests by ${ran} detector(s)</div>
</div>
<p>${result.findings.length === 0 ? 'No lead at this false discovery rate.' : `The ${Math.min(TOP_FINDINGS, result.findings.length)} strongest leads:`}</p>
${top.length ? `<ol>${top.map((f) => `<li>${badge(f.severity)} <strong>${h(f.detector)}</strong> — ${h(f.summary)}</li>`).join('\n')}</ol>` : ''}
${reviews ? `<p>${reviewSummary(reviews)}</p>` : ''}
${offenders.length ? `<p>Flagged by more than one detector: ${offenders.map((o) => `<span class="id">${h(o.entity)}</span> (${o.detectors.map(h).join(', ')})`).join('; ')}.</p>` : ''}
${skipped.length ? `<p class="status-skipped">Did not run: ${skipped.map((s) => `${h(s.detector)} (${h(s.reason)})`).join('; ')}.</p>` : '<p>Every selected detector ran.</p>'}
<p>${quarantined === 0 ? 'Every input row was accepted.' : `${quarantined} input row(s) were quarantined; see <a href="#data-quality">data quality</a>.`}</p>
</section>`;
}

function comparisonSection(c: Comparison): string {
  const rows = (kind: 'new' | 'persisting' | 'resolved', list: ComparedFinding[]) =>
    list
      .map(
        (f) =>
          `<tr><td>${badge(kind)}</td><td>${h(f.detector)}</td><td>${entityText(f)}</td><td>${badge(f.severity)}${f.previous ? ` <span class="muted">was ${h(f.previous.severity)}, q ${formatP(f.previous.qValue)}</span>` : ''}</td><td class="num">${formatP(f.qValue)}</td><td>${h(f.summary)}</td></tr>`,
      )
      .join('\n');
  return `<section id="comparison"><h2>Changes since the baseline</h2>
<p>Baseline generated ${h(c.baseline.generatedAt)} with ${c.baseline.findings} finding(s). Findings are matched by detector and entity: <strong>${c.new.length}</strong> new, <strong>${c.persisting.length}</strong> persisting, <strong>${c.resolved.length}</strong> resolved (no longer listed).</p>
${
  c.new.length + c.persisting.length + c.resolved.length === 0
    ? '<p>No finding in either run.</p>'
    : `<table><thead><tr><th>Change</th><th>Detector</th><th>Entity</th><th>Severity</th><th>q-value</th><th>Summary</th></tr></thead><tbody>
${rows('new', c.new)}
${rows('persisting', c.persisting)}
${rows('resolved', c.resolved)}
</tbody></table>`
}
</section>`;
}

/** "3 findings covered by a review (no alert); 1 review lapsed (expired, or the finding is more severe now)." */
function reviewSummary(reviews: ReviewMatch): string {
  const { covered, lapsed } = reviewCounts(reviews);
  return (
    `${covered} finding(s) covered by a review (no alert)` +
    (lapsed ? `; ${lapsed} review(s) lapsed (expired, or the finding is more severe now)` : '') +
    (reviews.unmatched ? `; ${reviews.unmatched} review(s) of leads this run does not list` : '') +
    '.'
  );
}

function findingRow(f: Finding, rank: number, reviews: ReviewMatch | undefined): string {
  const review = reviews?.byFinding.get(rank - 1);
  const reviewed = review ? `<p class="review ${review.status}">${h(describeReview(review))}</p>` : '';
  return `<tr id="finding-${rank}"><td class="num">${rank}</td><td>${badge(f.severity)}</td><td>${h(f.detector)}</td><td>${entityText(f)}</td><td class="num" title="${h(f.effectLabel)}">${formatNumber(f.effect)} <span class="muted">[${formatNumber(f.ci[0])}, ${formatNumber(f.ci[1])}]</span></td><td class="num">${formatP(f.qValue)}</td><td>${h(f.summary)}${reviewed}<details><summary>Evidence</summary><p class="muted">Effect: ${h(f.effectLabel)}; p = ${formatP(f.pValue)}.</p><pre>${h(JSON.stringify(f.evidence, null, 1))}</pre></details></td></tr>`;
}

function findingsSection(result: ReportInput, reviews: ReviewMatch | undefined): string {
  if (result.findings.length === 0)
    return `<section id="findings"><h2>Findings</h2><p>No finding at q ≤ ${h(String(alphaOf(result)))}.</p></section>`;
  return `<section id="findings"><h2>Findings</h2>
<p class="muted">Ranked by the run-wide Benjamini–Hochberg q-value. Effect with its 95% interval; hover the effect for its definition.</p>
<table><thead><tr><th>#</th><th>Severity</th><th>Detector</th><th>Entity</th><th>Effect [95% CI]</th><th>q-value</th><th>Summary and evidence</th></tr></thead><tbody>
${result.findings.map((f, i) => findingRow(f, i + 1, reviews)).join('\n')}
</tbody></table></section>`;
}

function detectorSection(
  result: ReportInput,
  id: (typeof DETECTOR_IDS)[number],
  view: ReportView | undefined,
): string {
  const skipped = result.run.skipped.find((s) => s.detector === id);
  const tested = result.run.tested[id];
  const findings = result.findings.filter((f) => f.detector === id);
  const status = skipped
    ? `<p class="status-skipped">Did not run: ${h(skipped.reason)}.</p>`
    : tested === undefined
      ? '<p class="status-skipped">Not selected for this run.</p>'
      : `<p>${tested} test(s), ${findings.length} finding(s) at q ≤ ${h(String(alphaOf(result)))}.</p>`;
  const list = findings.length
    ? `<ul>${findings.map((f) => `<li>${badge(f.severity)} ${h(f.summary)} <span class="muted">(q ${formatP(f.qValue)})</span></li>`).join('\n')}</ul>`
    : '';
  return `<article id="detector-${id}"><h3><code>${id}</code></h3>
<p>${h(DETECTORS[id].description)}</p>
${status}
${skipped || tested === undefined || !view ? '' : chart(view)}
${list}
</article>`;
}

function dataQualitySection(result: ReportInput, view: ReportView | undefined): string {
  const ledgers = (['surveys', 'concessions', 'interactions'] as const).filter((n) => result.dataQuality[n]);
  const rows = ledgers
    .map((name) => {
      const q = result.dataQuality[name]!;
      const reasons = Object.keys(q.reasons)
        .sort()
        .map((r) => `${h(r)}: ${q.reasons[r]}`)
        .join(', ');
      return `<tr><td>${name}</td><td class="num">${q.accepted}</td><td class="num">${q.quarantined}</td><td>${reasons || '—'}</td></tr>`;
    })
    .join('\n');
  const warnings = ledgers.flatMap((name) =>
    (result.dataQuality[name]!.warnings ?? []).map((w) => `<li>${name}: ${h(w)}</li>`),
  );
  return `<section id="data-quality"><h2>Data quality</h2>
<table><thead><tr><th>Ledger</th><th>Accepted</th><th>Quarantined</th><th>Reasons</th></tr></thead><tbody>
${rows}
</tbody></table>
${warnings.length ? `<ul class="warnings">\n${warnings.join('\n')}\n</ul>` : ''}
${view ? chart(view) : ''}
</section>`;
}

function parametersSection(result: ReportInput): string {
  return `<section id="parameters"><h2>Run parameters</h2>
<table><tbody>
<tr><th>Generated</th><td>${h(result.run.generatedAt)}</td></tr>
<tr><th>Findings document version</th><td>${result.version}</td></tr>${
    result.run.generator ? `\n<tr><th>Made by</th><td>${h(result.run.generator)}</td></tr>` : ''
  }
<tr><th>Inputs (rows)</th><td>${Object.entries(result.run.inputs)
    .map(([k, v]) => `${h(k)}: ${v}`)
    .join(', ')}</td></tr>
<tr><th>Tests per detector</th><td>${Object.entries(result.run.tested)
    .map(([k, v]) => `${h(k)}: ${v}`)
    .join(', ')}</td></tr>
</tbody></table>
<p>Options:</p>
<pre>${h(JSON.stringify(result.run.options, null, 2))}</pre>
</section>`;
}
