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
    thumbnails: async (r, id) => (r.dataset.variant === 'dark' && id.endsWith('1') ? tiny : null),
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
  for (let i = 0; i < data.length; i += 4) seen.add(((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4));
  return { width: img.width, height: img.height, colours: seen.size };
}

describe('writeReport', () => {
  it('writes every chart as a 2x PNG with content and an SVG', async () => {
    const pngs = written.charts.filter((f) => f.endsWith('.png'));
    expect(pngs.map((f) => f.split('/').pop())).toEqual(expect.arrayContaining(['accuracy-by-dataset.png', 'effective-robustness-1.png', 'severity-1.png', 'prompt-comparison.png', 'class-drops-1.png']));
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

  it('writes summary.csv with one row per result matching the JSON', async () => {
    const rows = Papa.parse<Record<string, string>>(await readFile(written.csv, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(loaded.results.length);
    for (const r of loaded.results) expect(Number(rows.find((x) => x.result_id === r.id)!.acc1)).toBe(r.metrics.acc1);
    const robustDark = rows.find((x) => x.model === 'tiny-clip-shapes-robust' && x.variant === 'dark' && x.prompts === 'default')!;
    expect(Number(robustDark.effective_robustness)).toBeGreaterThan(0.05);
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
      const imgs = await page.$$eval('#charts img', (els) => els.map((i) => ({ done: (i as { complete: boolean }).complete, w: (i as { naturalWidth: number }).naturalWidth })));
      expect(imgs.length).toBe(written.charts.length / 2);
      for (const i of imgs) expect(i.done && i.w > 0).toBe(true);
      const cells = await page.$$eval('#summary [data-metric="acc1"]', (els) => els.map((c) => ({ id: c.getAttribute('data-result-id'), value: c.getAttribute('data-value'), text: c.textContent })));
      expect(cells.length).toBeGreaterThan(10);
      for (const c of cells) {
        const r = loaded.results.find((x) => x.id === c.id)!;
        expect(Number(c.value)).toBe(r.metrics.acc1);
        expect(c.text).toBe((r.metrics.acc1 * 100).toFixed(1));
      }
      // Sorting by a numeric column orders the rows.
      await page.click('#results th:nth-child(6)');
      const sorted = await page.$$eval('#results tbody tr td:nth-child(6)', (els) => els.map((e) => Number(e.getAttribute('data-value'))));
      expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
      expect(await page.$$eval('.gallery img', (els) => els.length)).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
