import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/renderHtml.js';
import { demoFixture, HOSTILE, hostileFixture } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where the demo report's screenshot goes (look at it when changing a chart). */
const SCREENSHOT = join(tmpdir(), 'nps-gaming-report.png');

const available = existsSync(CHROMIUM);
let dir: string;
let context: BrowserContext;

beforeAll(async () => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'nps-gaming-browser-'));
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Visit {
  errors: string[];
  requests: string[];
  views: { id: string; rendered: string | null; svgs: number; marks: number }[];
  xss: unknown;
  text: string;
}

/** Open a report file and wait for every chart; record console errors and any request that is not the file. */
async function visit(file: string, screenshot?: string): Promise<Visit> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const local = (url: string) => /^(file|data|blob|about):/.test(url);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!local(r.url())) requests.push(r.url());
  });
  await page.route('**/*', (route) => (local(route.request().url()) ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction("document.body.dataset.charts === 'done'", null, { timeout: 20_000 });
  const views = await page.$$eval('[data-view]', (els) =>
    els.map((el) => ({
      id: el.getAttribute('data-view') ?? '',
      rendered: el.getAttribute('data-rendered'),
      svgs: el.querySelectorAll('svg, canvas').length,
      marks: el.querySelectorAll('svg g.role-mark > *').length,
    })),
  );
  const xss = await page.evaluate('window.__xss');
  const text = (await page.evaluate('document.body.innerText')) as string;
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { errors, requests, views, xss, text };
}

// not skipped without a browser: the README's test command installs it (scripts/setup-browser.sh)
it('has Chromium to render the report in', () => {
  expect(available, `${CHROMIUM} is missing; run: bash scripts/setup-browser.sh`).toBe(true);
});

describe.runIf(available)('offline HTML report in headless Chromium', () => {
  it('renders every chart of the demo report, with no console error and no network', async () => {
    const { result, ledgers } = await demoFixture();
    const file = join(dir, 'demo.html');
    writeFileSync(file, renderHtml(result, { ledgers }));
    const v = await visit(file, SCREENSHOT);
    expect(v.errors).toEqual([]);
    expect(v.requests).toEqual([]);
    expect(v.views.length).toBeGreaterThanOrEqual(12);
    for (const view of v.views) {
      expect(view.rendered, view.id).toBe('true');
      expect(view.svgs, view.id).toBeGreaterThan(0);
      expect(view.marks, view.id).toBeGreaterThan(0);
    }
    expect(v.text).toContain('Executive summary');
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('executes nothing from hostile ids and shows them as text', async () => {
    const { result, ledgers } = await hostileFixture();
    const file = join(dir, 'hostile.html');
    writeFileSync(file, renderHtml(result, { ledgers }));
    const v = await visit(file);
    expect(v.xss).toBeUndefined();
    expect(v.errors).toEqual([]);
    expect(v.requests).toEqual([]);
    expect(v.text).toContain(HOSTILE.rep);
    expect(v.text).toContain(HOSTILE.customer);
    for (const view of v.views) expect(view.rendered, view.id).toBe('true');
  });
});
