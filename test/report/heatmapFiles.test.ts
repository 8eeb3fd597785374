import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { corruptionSummaries } from '../../src/report/corruptionErrors.js';
import { heatColour } from '../../src/report/heatmap.js';
import { heatmapFiles, heatmapLayout, heatmapPng, heatmapSvg } from '../../src/report/heatmapFiles.js';
import { writeReport } from '../../src/report/writeReport.js';
import { pct } from '../../src/util/numberFormat.js';
import { syntheticResults, writeSyntheticResults } from './syntheticResults.js';
import { loadResults } from '../../src/report/loadResults.js';

// contrast at severity 3 of the first run is left out, so one cell is "not evaluated".
const results = syntheticResults(5, 64).map((r) => r.result)
  .filter((r) => !(r.model.name === 'tiny-clip-shapes' && r.prompts.name === 'default' && r.shift?.corruption === 'contrast' && r.shift.severity === 3));
const summaries = corruptionSummaries(results, { ceBaseline: 'tiny-clip-shapes' });
const first = summaries.find((s) => s.model === 'tiny-clip-shapes' && s.prompts === 'default')!;

const rgb = (css: string): number[] => css.match(/\d+/g)!.map(Number);

describe('heatmap image files', () => {
  it('lays out one coloured cell per corruption and severity plus the clean accuracy', () => {
    const l = heatmapLayout(first, 'tiny-clip-shapes · default');
    const coloured = l.cells.filter((c) => c.value !== null);
    const evaluated = first.scores.flatMap((s) => s.accuracy).filter((a) => a !== null).length;
    expect(first.scores.map((s) => s.corruption)).toEqual(['gaussian_noise', 'contrast']);
    expect(evaluated).toBe(9);
    expect(coloured).toHaveLength(evaluated + 1);
    expect(coloured.at(-1)!.value).toBe(first.clean!.metrics.acc1);
    const na = l.cells.filter((c) => c.text === '–' && c.fill === '#f2f2f2');
    expect(na).toHaveLength(1);
    // No two cells overlap and everything lies inside the canvas.
    for (const c of l.cells) expect(c.x >= 0 && c.y >= 0 && c.x + c.w <= l.width && c.y + c.h <= l.height).toBe(true);
  });

  it('writes the SVG with its size, viridis fills and the accuracies as text', () => {
    const l = heatmapLayout(first, 'tiny-clip-shapes · default');
    const svg = heatmapSvg(l);
    expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}"`));
    const cells = [...svg.matchAll(/<rect [^>]*fill="(rgb\([^"]+\))"[^>]*data-value="([^"]+)"\/><text [^>]*>([^<]+)<\/text>/g)];
    expect(cells).toHaveLength(10);
    for (const [, fill, value, text] of cells) {
      expect(fill).toBe(heatColour(Number(value)).background);
      expect(text).toBe(pct(Number(value)));
    }
    expect(svg).toContain('>contrast<');
    expect(svg).toContain('>tiny-clip-shapes · default<');
  });

  it('draws the PNG at twice the layout size with each cell in its colour', async () => {
    const l = heatmapLayout(first, 'tiny-clip-shapes · default');
    const img = await loadImage(heatmapPng(l));
    expect([img.width, img.height]).toEqual([l.width * 2, l.height * 2]);
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    for (const c of l.cells.filter((x) => x.value !== null || x.fill === '#f2f2f2')) {
      // Sample inside the cell's corner: clear of the white grid lines and the centred text.
      const px = ctx.getImageData(2 * (c.x + 3), 2 * (c.y + 3), 1, 1).data;
      const want = c.fill.startsWith('#') ? [0xf2, 0xf2, 0xf2] : rgb(c.fill);
      expect([px[0], px[1], px[2]], `${c.text} at ${c.x},${c.y}`).toEqual(want);
    }
    // Text was drawn: the cell centres hold more than the fill colour.
    const cell = l.cells.find((x) => x.value !== null)!;
    const inner = ctx.getImageData(2 * cell.x + 10, 2 * cell.y + 10, 2 * cell.w - 20, 2 * cell.h - 20).data;
    const colours = new Set<number>();
    for (let i = 0; i < inner.length; i += 4) colours.add((inner[i] << 16) | (inner[i + 1] << 8) | inner[i + 2]);
    expect(colours.size).toBeGreaterThan(2);
  });

  it('names one file per run, apart even when slugs collide, with the corrupted dataset when there are several', () => {
    const stems = heatmapFiles(summaries).map((h) => h.stem);
    expect(stems).toContain('heatmap-tiny-clip-shapes-default');
    expect(new Set(stems).size).toBe(summaries.length);
    const twin = [{ ...first, model: 'A b' }, { ...first, model: 'a-B' }];
    expect(heatmapFiles(twin).map((h) => h.stem)).toEqual(['heatmap-a-b-default', 'heatmap-a-b-default-2']);
    expect(heatmapFiles([first, { ...first, dataset: 'shapes-dark' }]).map((h) => h.stem)).toEqual(['heatmap-tiny-clip-shapes-default-shapes-standard', 'heatmap-tiny-clip-shapes-default-shapes-dark']);
  });

  it('shortens the names of long models, prompt sets and datasets (with a hash) so the file name fits', () => {
    const long = [{ ...first, model: 'm'.repeat(96), prompts: 'p'.repeat(96), dataset: 'f'.repeat(96) }, { ...first, model: 'm'.repeat(96), prompts: 'p'.repeat(96), dataset: 'g'.repeat(96) }];
    const stems = heatmapFiles(long).map((h) => h.stem);
    for (const s of stems) expect(s.length + '.png'.length).toBeLessThanOrEqual(200);
    expect(new Set(stems).size).toBe(2);
  });

  it('writeReport writes them beside report.html and report.md links them', async () => {
    const dir = await writeSyntheticResults(3, 32);
    const loaded = await loadResults([dir]);
    const outDir = join(dir, 'report');
    const written = await writeReport(loaded.results, { outDir, replicates: 0, ceBaseline: 'tiny-clip-shapes' });
    expect(written.heatmaps).toHaveLength(2 * 6);
    for (const f of written.heatmaps) expect(existsSync(f), f).toBe(true);
    const md = await readFile(written.md, 'utf8');
    expect(md).toContain('![Corruption heatmap: tiny-clip-shapes · default · shapes-standard (top-1 % per corruption and severity)](charts/heatmap-tiny-clip-shapes-default.png) ([SVG](charts/heatmap-tiny-clip-shapes-default.svg))');
    expect((await readFile(join(outDir, 'charts/heatmap-zoo-wide-default.svg'), 'utf8')).startsWith('<svg')).toBe(true);
  });
});
