import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import Papa from 'papaparse';
import { loadResults, type LoadedResults } from '../../src/report/loadResults.js';
import { writeReport, type WrittenReport } from '../../src/report/writeReport.js';
import { writeSyntheticResults } from './syntheticResults.js';
import { launchChromium } from '../helpers/browser.js';
import { allCharts } from '../../src/report/charts/allCharts.js';
import { robustnessGroups } from '../../src/report/robustnessTable.js';

let loaded: LoadedResults;
let written: WrittenReport;
let outDir: string;

beforeAll(async () => {
  const dir = await writeSyntheticResults(11, 96);
  loaded = await loadResults([dir]);
  outDir = join(dir, 'report');
  const tiny = Buffer.from(await createCanvas(8, 8).encode('png'));
  written = await writeReport(loaded.results, {
    outDir, predictions: loaded.predictions, title: 'Shapes <robustness> & "friends"', reference: 'tiny-clip-shapes',
    ceBaseline: 'tiny-clip-shapes', replicates: 200,
    thumbnails: async (_r, id) => (id.endsWith('1') ? tiny : null),
  });
});

/** Distinct colours in an image quantised to 4 bits per channel. */
async function distinctColours(file: string): Promise<{ width: number; height: number; colours: number }> {
  const img = await loadImage(await readFile(file));
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += 4) seen.add(((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4));
  return { width: img.width, height: img.height, colours: seen.size };
}

describe('writeReport', () => {
  it('writes every chart as a 2x PNG with content and an SVG', async () => {
    const pngs = written.charts.filter((f) => f.endsWith('.png'));
    expect(pngs.map((f) => f.split('/').pop())).toEqual(expect.arrayContaining(['accuracy-by-dataset.png', 'effective-robustness-1.png', 'prompt-comparison.png', 'class-drops-1.png']));
    const bars = await distinctColours(join(outDir, 'charts/accuracy-by-dataset.png'));
    expect([bars.width, bars.height]).toEqual([1520, 840]);
    for (const f of pngs) {
      const { colours, width } = await distinctColours(f);
      expect(width).toBeGreaterThanOrEqual(1000);
      expect(colours, f).toBeGreaterThan(8);
    }
    const svg = await readFile(join(outDir, 'charts/effective-robustness-1.svg'), 'utf8');
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<path/);
  });

  it('gives every series of every chart its own colour and labels both axes', () => {
    const groups = robustnessGroups(loaded.results, 'own', undefined, [], { transform: 'probit', replicates: 50, seed: 0 });
    const specs = allCharts(loaded.results, groups);
    expect(specs.length).toBeGreaterThan(4);
    for (const spec of specs) {
      const colours = (spec.config.data.datasets as { label?: string; backgroundColor?: string }[])
        .filter((d) => typeof d.backgroundColor === 'string' && !String(d.label).startsWith('95 %') && !String(d.label).startsWith('_band') && d.label !== 'y = x' && !String(d.label).startsWith('Baseline fit'))
        .map((d) => d.backgroundColor);
      expect(new Set(colours).size, spec.name).toBe(colours.length);
      const scales = (spec.config.options as { scales: Record<string, { title?: { display: boolean; text: string } }> }).scales;
      for (const axis of ['x', 'y']) expect(scales[axis].title!.text.length, `${spec.name} ${axis}`).toBeGreaterThan(3);
    }
  });

  it('writes summary.csv with one row per result matching the JSON', async () => {
    const rows = Papa.parse<Record<string, string>>(await readFile(written.csv, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(loaded.results.length);
    for (const r of loaded.results) expect(Number(rows.find((x) => x.result_id === r.id)!.acc1)).toBe(r.metrics.acc1);
    const robustDark = rows.find((x) => x.model === 'tiny-clip-shapes-robust' && x.variant === 'dark' && x.prompts === 'default')!;
    expect(Number(robustDark.effective_robustness)).toBeGreaterThan(0.05);
    expect(Number(robustDark.effective_robustness_ci_low)).toBeLessThan(Number(robustDark.effective_robustness));
    expect(Number(robustDark.effective_robustness_ci_high)).toBeGreaterThan(Number(robustDark.effective_robustness));
    expect(robustDark.er_transform).toBe('logit');
    const baseClean = rows.find((x) => x.model === 'tiny-clip-shapes' && x.variant === 'standard' && x.corruption === '' && x.prompts === 'default')!;
    expect(Number(baseClean.mce)).toBeCloseTo(1, 12);
    const robustClean = rows.find((x) => x.model === 'tiny-clip-shapes-robust' && x.variant === 'standard' && x.corruption === '' && x.prompts === 'default')!;
    expect(Number(robustClean.mce)).toBeGreaterThan(0);
    expect(robustClean.ce_normaliser).toBe('tiny-clip-shapes');
  });

  it('escapes text in the Markdown and HTML', async () => {
    const md = await readFile(written.md, 'utf8');
    expect(md).toContain('# Shapes \\<robustness\\> \\& "friends"');
    expect(md).toContain('![');
    const html = await readFile(written.html, 'utf8');
    expect(html).toContain('<title>Shapes &lt;robustness&gt; &amp; &quot;friends&quot;</title>');
    expect(html).toContain('truncated PNG &lt;bad &amp; &quot;odd&quot;&gt;');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('opens in headless Chromium without errors, loads every chart and shows the JSON numbers', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(written.html).href, { waitUntil: 'load' });
      const imgs = await page.$$eval('figure img', (els) => els.map((i) => ({ done: (i as { complete: boolean }).complete, w: (i as { naturalWidth: number }).naturalWidth })));
      expect(imgs.length).toBe(written.charts.length / 2);
      for (const i of imgs) expect(i.done && i.w > 0).toBe(true);
      const cells = await page.$$eval('[data-metric="acc1"]', (els) => els.map((c) => ({ id: c.getAttribute('data-result-id'), value: c.getAttribute('data-value'), text: c.textContent })));
      expect(cells.length).toBeGreaterThan(10);
      for (const c of cells) {
        const r = loaded.results.find((x) => x.id === c.id)!;
        expect(Number(c.value)).toBe(r.metrics.acc1);
        expect(c.text!.split(' ')[0]).toBe((r.metrics.acc1 * 100).toFixed(1));
      }
      // Sorting by a numeric column orders the rows.
      await page.click('#results summary');
      await page.click('#results th:nth-child(6)');
      const sorted = await page.$$eval('#results tbody tr td:nth-child(6)', (els) => els.map((e) => Number(e.getAttribute('data-value'))));
      expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
      expect(await page.$$eval('.gallery img', (els) => els.length)).toBeGreaterThan(0);
      // The first screen: summary numbers equal the JSON (ID accuracy, mean OOD accuracy, ER, mCE).
      const summary = await page.$$eval('table.summary [data-metric]', (els) => els.map((c) => ({ id: c.getAttribute('data-result-id')!, metric: c.getAttribute('data-metric')!, value: Number(c.getAttribute('data-value')) })));
      expect(new Set(summary.map((c) => c.metric))).toEqual(new Set(['acc1', 'meanOodAcc1', 'meanEffectiveRobustness', 'meanRelativeRobustness', 'mce', 'relativeMce', 'meanCorruptionAcc1']));
      for (const c of summary.filter((x) => x.metric === 'meanOodAcc1')) {
        const id = loaded.results.find((r) => r.id === c.id)!;
        const ood = loaded.results.filter((r) => r.model.name === id.model.name && r.prompts.name === id.prompts.name && !r.dataset.isStandard && r.shift === null);
        expect(c.value).toBeCloseTo(ood.reduce((s, r) => s + r.metrics.acc1, 0) / ood.length, 12);
      }
      const base = summary.find((c) => c.metric === 'mce' && loaded.results.find((r) => r.id === c.id)!.model.name === 'tiny-clip-shapes' && loaded.results.find((r) => r.id === c.id)!.prompts.name === 'default')!;
      expect(base.value).toBeCloseTo(1, 12);
      // Layout: the first screen shows the summary table; the page stays short at 1280 px wide.
      await page.setViewportSize({ width: 1280, height: 900 });
      const top = await page.$eval('table.summary', (t) => t.getBoundingClientRect().top);
      expect(top).toBeLessThan(900);
      await page.$$eval('details', (els) => els.forEach((d) => { (d as unknown as { open: boolean }).open = false; }));
      expect(await page.$eval('html', (h) => (h as unknown as { scrollHeight: number }).scrollHeight)).toBeLessThan(20_000);
      expect((await readFile(written.html)).length).toBeLessThan(3 * 1024 * 1024);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
