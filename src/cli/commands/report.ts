import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { toDocument } from '../../analyze.js';
import { atLeast } from '../../findings/severity.js';
import { findingsToCsv } from '../../findings/to-csv.js';
import type { FindingsDocument, Severity } from '../../findings/types.js';
import { type Comparison, compareFindings } from '../../report/compare.js';
import { renderHtml } from '../../report/renderHtml.js';
import { renderMarkdown } from '../../report/renderMarkdown.js';
import { renderPng } from '../../report/renderPng.js';
import { renderSvg } from '../../report/renderSvg.js';
import { alerts, loadReviews, matchReviews, reviewCounts } from '../../report/reviews.js';
import { specs } from '../../report/specs.js';
import { addEngineFlags, type EngineFlags, engineOf, runDuckDbEngine } from '../duckdb-engine.js';
import { EXIT, UsageError } from '../errors.js';
import { addInputFlags, parseDetectorList, writeOutput } from '../flags.js';
import { type InputFlags, resolveInputs } from '../inputs.js';
import { loadAndAnalyzeWithProgress } from '../load-with-progress.js';

interface ReportFlags extends InputFlags, EngineFlags {
  out?: string;
  failOn?: string;
  baseline?: string;
  reviewed?: string;
  detectors?: string;
  seed?: string;
  png?: boolean;
}

/** Where the report goes when neither `--out` nor the config's `out` says. */
export const DEFAULT_OUT = 'nps-gaming-report';

/**
 * The output directory: `--out` (relative to the working directory), else
 * the config's `out` (relative to the config file), else `nps-gaming-report`;
 * `{date}` becomes the run's UTC date (YYYY-MM-DD), e.g. `reports/{date}`.
 */
export function outputDirectory(flags: ReportFlags, configOut: string | undefined, now: Date): string {
  const date = now.toISOString().slice(0, 10);
  const pattern = flags.out ?? configOut ?? DEFAULT_OUT;
  const base =
    flags.out === undefined && configOut !== undefined && flags.config
      ? dirname(resolve(flags.config))
      : process.cwd();
  return resolve(base, pattern.replaceAll('{date}', date));
}

/** The run's clock: `SOURCE_DATE_EPOCH` (seconds) when set, for fully reproducible files; else now. */
function runClock(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    const seconds = Number(epoch);
    if (!Number.isInteger(seconds) || seconds < 0)
      throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${epoch}"`);
    return new Date(seconds * 1000);
  }
  return new Date();
}

/** A path of the config file, relative to it (undefined when the config does not give one). */
function configPath(flags: ReportFlags, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return resolve(flags.config ? dirname(resolve(flags.config)) : process.cwd(), path);
}

function readBaseline(path: string): FindingsDocument {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `--baseline ${path}: cannot read a JSON findings document (${(error as Error).message})`,
    );
  }
  const doc = value as Partial<FindingsDocument> | null;
  if (
    doc?.version !== 1 ||
    !Array.isArray(doc.findings) ||
    typeof doc.run?.generatedAt !== 'string' ||
    !doc.findings.every((f) => typeof f?.detector === 'string' && typeof f?.entity?.id === 'string')
  )
    throw new UsageError(
      `--baseline ${path}: not a findings document (version 1 with run and findings), e.g. a previous report's findings.json`,
    );
  return doc as FindingsDocument;
}

function parseFailOn(text: string | undefined): Severity | undefined {
  if (text === undefined) return undefined;
  if (text !== 'high' && text !== 'medium' && text !== 'low')
    throw new UsageError(`--fail-on must be high, medium or low, got "${text}"`);
  return text;
}

export function registerReport(program: Command): void {
  const command = addInputFlags(
    program
      .command('report')
      .description(
        'Run the detectors and write a report directory: index.html (offline), findings.json, findings.csv, summary.md, charts/*.svg and *.png.',
      ),
  )
    .option(
      '--out <dir>',
      `output directory; {date} becomes the run's date (default: config "out", else ${DEFAULT_OUT})`,
    )
    .option(
      '--baseline <findings.json>',
      "a previous run's findings.json: report new, persisting and resolved findings",
    )
    .option(
      '--reviewed <file>',
      'reviews of earlier leads (CSV or JSON: detector, entity_type, entity_id, decision, reviewed_at, …): marked in the report, no --fail-on alert',
    )
    .option(
      '--fail-on <severity>',
      'exit 3 when a finding of this severity or worse exists that no current review covers (high, medium, low)',
    )
    .option('--detectors <ids>', 'comma-separated detector ids to run (default: all)')
    .option('--seed <n>', 'seed of the permutation tests (default 1)')
    .option('--no-png', 'skip the PNG charts (SVG only)');
  addEngineFlags(command).action(async (flags: ReportFlags) => {
    const failOn = parseFailOn(flags.failOn);
    const inputs = resolveInputs(flags);
    const seed = flags.seed === undefined ? undefined : Number(flags.seed);
    if (seed !== undefined && !Number.isInteger(seed))
      throw new UsageError(`--seed must be an integer, got "${flags.seed}"`);
    const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
    const reviewsFile = flags.reviewed ?? configPath(flags, inputs.config.reviewed);
    const reviewList = reviewsFile === undefined ? undefined : loadReviews(reviewsFile);
    const now = runClock();
    const out = outputDirectory(flags, inputs.config.out, now);
    // the DuckDB engine hands over the findings and tables, not ledgers: the charts that draw
    // from the ledgers say so
    const { ledgers, result } =
      engineOf(flags) === 'duckdb'
        ? { ledgers: undefined, result: await runDuckDbEngine(inputs, flags, { now }) }
        : await loadAndAnalyzeWithProgress(inputs, {
            alpha: inputs.alpha,
            detectors: parseDetectorList(flags.detectors) ?? inputs.config.detectors,
            detectorOptions: inputs.config.detectorOptions,
            seed,
            now,
          });
    const document = toDocument(result);
    const comparison: Comparison | undefined = baseline ? compareFindings(document, baseline) : undefined;
    const reviews = reviewList && matchReviews(document.findings, reviewList, now);
    const views = specs(result, { ledgers });

    writeOutput(join(out, 'findings.json'), `${JSON.stringify(document, null, 2)}\n`);
    writeOutput(join(out, 'findings.csv'), findingsToCsv(document.findings));
    if (comparison) writeOutput(join(out, 'comparison.json'), `${JSON.stringify(comparison, null, 2)}\n`);
    writeOutput(join(out, 'summary.md'), renderMarkdown(result, { comparison, reviews }));
    writeOutput(join(out, 'index.html'), renderHtml(result, { ledgers, comparison, reviews, views }));
    for (const view of views) {
      const svg = await renderSvg(view.spec);
      writeOutput(join(out, 'charts', `${view.id}.vl.json`), `${JSON.stringify(view.spec, null, 2)}\n`);
      writeOutput(join(out, 'charts', `${view.id}.svg`), svg);
      if (flags.png !== false) writeOutput(join(out, 'charts', `${view.id}.png`), await renderPng(svg));
    }

    const counts = { high: 0, medium: 0, low: 0 };
    for (const f of document.findings) counts[f.severity]++;
    process.stdout.write(
      `${document.findings.length} finding(s): ${counts.high} high, ${counts.medium} medium, ${counts.low} low` +
        (comparison
          ? `; since the baseline ${comparison.new.length} new, ${comparison.persisting.length} persisting, ${comparison.resolved.length} resolved`
          : '') +
        (reviews ? `; ${reviewCounts(reviews).covered} covered by a review` : '') +
        `\nreport written to ${join(out, 'index.html')}\n`,
    );
    if (failOn && document.findings.some((f, i) => atLeast(f.severity, failOn) && alerts(reviews, i))) {
      process.stderr.write(
        `nps-gaming: findings of severity ${failOn} or worse${reviews ? ' not covered by a review' : ''} (--fail-on ${failOn})\n`,
      );
      process.exitCode = EXIT.findings;
    }
  });
}
