import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { cli } from '../helpers/cli.js';
import { writeSyntheticResults } from './syntheticResults.js';
import { HAND, handResult, writeDir } from '../compare/pairFixture.js';
import { listCorruptions } from '../../src/shifts/registry.js';

/** A page at 1280 × 800, the width a laptop browser shows. */
async function at1280<T>(file: string, measure: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return await measure(page);
  } finally {
    await browser.close();
  }
}

type Box = { x: number; y: number; w: number; h: number };

let report: Promise<string> | undefined;
/** The report of the synthetic result set (3 models, 16 images a condition), written once for the tests that read it. */
function syntheticReport(): Promise<string> {
  report ??= (async () => {
    const dir = await writeSyntheticResults(3, 16);
    const out = join(dir, 'report');
    const r = await cli(['report', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    return out;
  })();
  return report;
}

/**
 * What an effective-robustness chart's SVG (text drawn as paths) shows, measured by the browser:
 * the model markers (a filled shape and its black outline, clipped to the plot) and the words of
 * the labels drawn over the plot after the datasets (one path per word; the dashed gap lines
 * are 1 px wide columns and leader lines are strokes, both left out).
 */
const MEASURE_ER_SVG = `(() => {
  const svg = document.querySelector('svg');
  const box = (el) => { const b = el.getBBox(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
  const markers = [...svg.querySelectorAll('g[clip-path] > path[stroke="black"]')].filter((p) => !p.hasAttribute('stroke-opacity')).map(box);
  const top = [...svg.children];
  const lastClip = top.map((el) => el.tagName).lastIndexOf('g');
  const words = top.slice(lastClip + 1).filter((el) => el.tagName === 'path' && el.getAttribute('fill') !== 'none' && el.getAttribute('d')).map(box).filter((b) => b.w > 1.5);
  return { markers, words, width: svg.getAttribute('width') };
})()`;
const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

describe('pages at 1280 px', () => {
  it('compare.html with 94 units: the summary table fits its box (the A✗B✓ column was cut off)', async () => {
    const shifts = listCorruptions().flatMap((c) => [1, 2, 3, 4, 5].map((severity) => ({ corruption: c.id, severity }))).slice(0, 93);
    const a = await writeDir([handResult('model-a', HAND[0]), ...shifts.map((shift) => handResult('model-a', HAND[0], { shift }))]);
    const b = await writeDir([handResult('model-b', HAND[1]), ...shifts.map((shift) => handResult('model-b', HAND[1], { shift }))]);
    const out = join(a, 'cmp');
    const r = await cli(['compare', a, b, '-o', out, '--no-thumbnails']);
    expect(r.code, r.stderr).toBe(0);
    // Evaluated in the page as source text (the tests compile without the DOM types).
    const m = await at1280(join(out, 'compare.html'), (page) => page.evaluate(`(() => {
      const box = document.querySelector('.fit .scroll');
      const main = document.querySelector('main').getBoundingClientRect();
      const last = [...box.querySelectorAll('thead th')].at(-1);
      return { rows: box.querySelectorAll('tbody tr').length, scroll: box.scrollWidth, client: box.clientWidth, lastRight: last.getBoundingClientRect().right, lastText: last.textContent, mainRight: main.right, page: document.documentElement.scrollWidth };
    })()`) as Promise<{ rows: number; scroll: number; client: number; lastRight: number; lastText: string; mainRight: number; page: number }>);
    expect(m.rows).toBe(94);
    expect(m.lastText).toBe('A✗B✓');
    expect(m.scroll, JSON.stringify(m)).toBeLessThanOrEqual(m.client);
    expect(m.lastRight, JSON.stringify(m)).toBeLessThanOrEqual(m.mainRight);
    expect(m.page).toBeLessThanOrEqual(1280);
  }, 180_000);

  it('compare.html with 94 units and many flips: opened, each unit stays compact, and every flip is in compare-flips.jsonl', async () => {
    // 40 items: both right on 0–9, only A on 10–35 (26 lost), only B on 36–39 (4 gained).
    const items = (right: (i: number) => boolean) => Array.from({ length: 40 }, (_, i) => ({ correct: right(i), score: 0.5 + i / 100 }));
    const [itemsA, itemsB] = [items((i) => i < 36), items((i) => i < 10 || i >= 36)];
    const shifts = listCorruptions().flatMap((c) => [1, 2, 3, 4, 5].map((severity) => ({ corruption: c.id, severity }))).slice(0, 93);
    const a = await writeDir([handResult('model-a', itemsA), ...shifts.map((shift) => handResult('model-a', itemsA, { shift }))]);
    const b = await writeDir([handResult('model-b', itemsB), ...shifts.map((shift) => handResult('model-b', itemsB, { shift }))]);
    const out = join(a, 'cmp');
    const r = await cli(['compare', a, b, '-o', out, '--no-thumbnails']);
    expect(r.code, r.stderr).toBe(0);
    const m = await at1280(join(out, 'compare.html'), (page) => page.evaluate(`(() => {
      const closed = document.documentElement.scrollHeight;
      document.querySelectorAll('details').forEach((d) => { d.open = true; });
      const cards = [...document.querySelectorAll('details')].map((d) => [...d.querySelectorAll('.fgallery')].map((g) => g.children.length));
      return { closed, opened: document.documentElement.scrollHeight, units: document.querySelectorAll('details').length, cards, page: document.documentElement.scrollWidth };
    })()`) as Promise<{ closed: number; opened: number; units: number; cards: number[][]; page: number }>);
    expect(m.units).toBe(94);
    // 4 cards per direction, the counts complete (before: 12 cards of 11rem per direction, about 750 px a unit).
    expect(m.cards.every((c) => c.length === 2 && c[0] === 4 && c[1] === 4), JSON.stringify(m.cards.slice(0, 3))).toBe(true);
    expect((m.opened - m.closed) / m.units, JSON.stringify(m)).toBeLessThanOrEqual(300);
    expect(m.page).toBeLessThanOrEqual(1280);
    const lines = (await readFile(join(out, 'compare-flips.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(94 * 30);
  }, 180_000);

  it('report.html: corruption heatmaps never overlap, and each shows its whole table', async () => {
    const out = await syntheticReport();
    const m = await at1280(join(out, 'report.html'), (page) => page.evaluate(`(() => {
      const rect = (el) => {
        const b = el.getBoundingClientRect();
        return { x: b.x, y: b.y + window.scrollY, w: b.width, h: b.height };
      };
      const figures = [...document.querySelectorAll('.heatgrid .heatmap')];
      return { figures: figures.map(rect), tables: figures.map((f) => rect(f.querySelector('table'))), page: document.documentElement.scrollWidth };
    })()`) as Promise<{ figures: Box[]; tables: Box[]; page: number }>);
    expect(m.figures.length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < m.figures.length; i++) {
      // The table lies within its own figure (it had spilled over the next one: 529 px of table in a 449 px slot).
      const [f, t] = [m.figures[i], m.tables[i]];
      expect(t.x + t.w, `heatmap ${i}`).toBeLessThanOrEqual(f.x + f.w + 0.5);
      for (let j = 0; j < i; j++) {
        expect(overlap(m.tables[i], m.figures[j]), `heatmap ${i} over ${j}`).toBe(false);
        expect(overlap(m.figures[i], m.figures[j]), `heatmap ${i} and ${j}`).toBe(false);
      }
    }
    expect(m.page).toBeLessThanOrEqual(1280);
  }, 180_000);

  it("report.html: the first screen's summary table fits its box (coverage notes wrap under their numbers)", async () => {
    const out = await syntheticReport();
    const m = await at1280(join(out, 'report.html'), (page) => page.evaluate(`(() => {
      const box = document.querySelector('table.summary').parentElement;
      return { scroll: box.scrollWidth, client: box.clientWidth, page: document.documentElement.scrollWidth };
    })()`) as Promise<{ scroll: number; client: number; page: number }>);
    expect(m.scroll, JSON.stringify(m)).toBeLessThanOrEqual(m.client);
    expect(m.page).toBeLessThanOrEqual(1280);
  }, 180_000);

  it('report.html: effective-robustness labels cross no model marker and no other label', async () => {
    const out = await syntheticReport();
    const svgs = await at1280(join(out, 'report.html'), (page) => page.evaluate(`[...document.querySelectorAll('figure')].filter((f) => /effective-robustness-\\d+\\.svg$/.test(f.querySelector('figcaption a')?.getAttribute('href') ?? '')).map((f) => f.querySelector('figcaption a').getAttribute('href'))`) as Promise<string[]>);
    expect(svgs.length).toBeGreaterThanOrEqual(2);
    for (const svg of svgs) {
      const m = await at1280(join(out, svg), (page) => page.evaluate(MEASURE_ER_SVG) as Promise<{ markers: Box[]; words: Box[] }>);
      expect(m.markers.length, svg).toBeGreaterThanOrEqual(3);
      expect(m.words.length, svg).toBeGreaterThanOrEqual(m.markers.length);
      for (const [i, w] of m.words.entries()) {
        for (const k of m.markers) expect(overlap(w, k), `${svg}: word ${i} ${JSON.stringify(w)} over marker ${JSON.stringify(k)}`).toBe(false);
        for (const v of m.words.slice(0, i)) expect(overlap(w, v), `${svg}: word ${i} over another word`).toBe(false);
      }
    }
  }, 180_000);
});
