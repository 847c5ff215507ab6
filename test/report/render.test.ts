import { beforeAll, describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/report/compare.js';
import { escapeHtml, escapeMarkdown, inlineScript, jsonForScript } from '../../src/report/escape.js';
import { renderHtml } from '../../src/report/renderHtml.js';
import { renderMarkdown } from '../../src/report/renderMarkdown.js';
import { renderReport } from '../../src/report/renderReport.js';
import { renderSvg } from '../../src/report/renderSvg.js';
import { specs } from '../../src/report/specs.js';
import { demoFixture, type Fixture, HOSTILE, hostileFixture } from './fixtures.js';

let demo: Fixture;
let hostile: Fixture;

beforeAll(async () => {
  [demo, hostile] = await Promise.all([demoFixture(), hostileFixture()]);
});

describe('SVG and PNG', () => {
  it('renders every view to SVG with marks and no vega warnings, identically twice', async () => {
    for (const view of specs(demo.result, { ledgers: demo.ledgers })) {
      const warnings: string[] = [];
      const svg = await renderSvg(view.spec, { warnings });
      expect(warnings, view.id).toEqual([]);
      expect(svg.startsWith('<svg'), view.id).toBe(true);
      expect(svg, view.id).toMatch(/class="mark-[a-z]+ role-mark/);
      expect(await renderSvg(view.spec), view.id).toBe(svg);
    }
  });

  it('renders PNG through resvg (renderReport format png)', async () => {
    const pngs = await renderReport(demo.result, { format: 'png' });
    expect(Object.keys(pngs)).toContain('overview-funnel');
    const png = pngs['overview-funnel'];
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // width from the IHDR chunk: twice the SVG's width
    const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
    expect(width).toBeGreaterThan(1000);
  });
});

describe('renderReport', () => {
  it('json: every view with its spec', async () => {
    const json = JSON.parse(await renderReport(demo.result, { format: 'json', ledgers: demo.ledgers }));
    expect(json.version).toBe(1);
    expect(json.views.map((v: { id: string }) => v.id)).toContain('score-shift');
  });

  it('rejects an unknown format', async () => {
    // @ts-expect-error: not a format
    await expect(renderReport(demo.result, { format: 'pdf' })).rejects.toThrow(/format must be one of/);
  });
});

describe('HTML report', () => {
  it('is self-contained: vega, vega-lite and vega-embed inlined, no external reference', () => {
    const html = renderHtml(demo.result, { ledgers: demo.ledgers });
    expect(html).toContain('vegaEmbed');
    expect(html).not.toMatch(/sourceMappingURL/);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).toContain("default-src 'none'");
    for (const id of ['summary', 'findings', 'detectors', 'data-quality', 'parameters'])
      expect(html).toContain(`<section id="${id}"`);
    // every script element closes exactly where it should: one </script> per <script
    expect(html.match(/<script/gi)?.length).toBe(html.match(/<\/script>/gi)?.length);
  });

  it('is deterministic', () => {
    expect(renderHtml(demo.result, { ledgers: demo.ledgers })).toBe(
      renderHtml(demo.result, { ledgers: demo.ledgers }),
    );
  });

  it('escapes hostile ids and categories everywhere', () => {
    const flagged = hostile.result.findings.map((f) => f.entity.id);
    expect(flagged).toContain(HOSTILE.rep);
    expect(flagged).toContain(HOSTILE.customer);
    const html = renderHtml(hostile.result, { ledgers: hostile.ledgers });
    const scripts = html.match(/<script/gi)?.length;
    expect(scripts).toBe(5); // specs JSON, three libraries, boot: no injected one
    expect(html).not.toContain('window.__xss=1</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg onload');
    expect(html).toContain(escapeHtml(HOSTILE.rep));
    const markdown = renderMarkdown(hostile.result);
    expect(markdown).not.toMatch(/<script|<img|<svg/);
  });

  it('shows the comparison with a baseline', () => {
    const baseline = structuredClone(demo.result);
    baseline.findings = baseline.findings.slice(1);
    const comparison = compareFindings(demo.result, baseline);
    const html = renderHtml(demo.result, { comparison });
    expect(html).toContain('<section id="comparison"');
    expect(html).toContain('id="nps-gaming-comparison"');
  });
});

describe('Markdown summary', () => {
  it('lists counts, findings and data quality', () => {
    const text = renderMarkdown(demo.result);
    expect(text).toMatch(/^# Score-gaming report/);
    const [top] = demo.result.findings;
    expect(text).toContain(`**${demo.result.findings.length} finding(s)**`);
    expect(text).toContain(`| 1 | ${top.severity} | ${top.detector} | ${top.entity.type} ${top.entity.id} |`);
    expect(text).toContain('Data quality: surveys 5939 accepted, 0 quarantined');
    expect(text).not.toContain('Warning');
  });

  it("lists the load's warnings, in the Markdown and the HTML", () => {
    const warned = {
      ...demo.result,
      dataQuality: {
        ...demo.result.dataQuality,
        surveys: { ...demo.result.dataQuality.surveys, warnings: ['some cells are <not> UTF-8'] },
      },
    };
    expect(renderMarkdown(warned)).toContain('- Warning (surveys): some cells are &lt;not&gt; UTF-8');
    expect(renderHtml(warned)).toContain('<li>surveys: some cells are &lt;not&gt; UTF-8</li>');
  });
});

describe('compareFindings', () => {
  it('classifies new, persisting and resolved findings by detector and entity', () => {
    const current = structuredClone(demo.result);
    const baseline = structuredClone(demo.result);
    const [first, second] = current.findings;
    baseline.findings = baseline.findings.filter((f) => f !== baseline.findings[0]);
    baseline.findings[0] = { ...baseline.findings[0], severity: 'low', qValue: 0.04 };
    baseline.findings.push({ ...second, entity: { type: 'rep', id: 'R9999' } });
    const c = compareFindings(current, baseline);
    expect(c.new.map((f) => f.key)).toEqual([`${first.detector}|rep|${first.entity.id}`]);
    expect(c.resolved.map((f) => f.entity.id)).toEqual(['R9999']);
    expect(c.persisting).toHaveLength(current.findings.length - 1);
    expect(c.persisting[0].previous).toEqual({ severity: 'low', qValue: 0.04 });
  });
});

describe('escaping helpers', () => {
  it('escape HTML, JSON in script, inline scripts and Markdown', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const json = jsonForScript({ id: '</script><!--\u2028' });
    expect(json).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(json)).toEqual({ id: '</script><!--\u2028' });
    expect(inlineScript('a="</script>";b="<!--";\n//# sourceMappingURL=x.map')).toBe(
      'a="<\\/script>";b="<\\!--";\n',
    );
    expect(escapeMarkdown("R|1 *x* <b> it's (a)")).toBe("R\\|1 \\*x\\* &lt;b&gt; it's (a)");
  });
});
