import { createCanvas } from '@napi-rs/canvas';
import type { CorruptionSummary } from './corruptionErrors.js';
import { escapeHtml as e } from './format.js';
import { cleanText, heatColour } from './heatmap.js';
import { pct } from '../util/numberFormat.js';
import { slug } from '../results/paths.js';
import { boundedFileBase } from '../util/fileName.js';

/**
 * The corruption × severity heatmaps as standalone files (PNG at 2× pixel density, SVG as plain
 * markup with real text), for papers and slides. One layout drives both, so they agree cell for
 * cell with each other and with report.html's table (same viridis colours, `heatColour`).
 */

const FONT = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
const FONT_SIZE = 12;
const PAD = 12;
const CELL_W = 52;
const CELL_H = 24;
const TITLE_H = 42;
const LEGEND_H = 40;
const NA_FILL = '#f2f2f2';
const NA_TEXT = '#888888';
const INK = '#222222';

/** One rectangle of the heatmap with its centred text. */
export interface HeatCell {
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
  text: string;
  textColour: string;
  /** The accuracy the colour encodes (null: not evaluated, or a non-colour cell). */
  value: number | null;
}

/** A text label (row and column heads, title, legend ticks). */
export interface HeatLabel {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
  bold?: boolean;
  size?: number;
}

/** Everything drawn, in CSS pixels. */
export interface HeatmapLayout {
  width: number;
  height: number;
  cells: HeatCell[];
  labels: HeatLabel[];
}

/** Approximate advance width of text at FONT_SIZE (Liberation Sans averages ≈ 0.56 em). */
const textWidth = (s: string, size = FONT_SIZE): number => Math.ceil(s.length * size * 0.56);

/**
 * Lays out one model's heatmap: a row per corruption (severity 1–5 coloured by top-1, CE % on
 * the right, † for corruptions held out of mCE), the clean accuracy in its own row, and a
 * viridis legend from 0 to 100 % underneath.
 */
export function heatmapLayout(s: CorruptionSummary, title: string): HeatmapLayout {
  const rowNames = [...s.scores.map((c) => `${c.corruption}${c.heldOut ? ' †' : ''}`), 'clean'];
  const labelW = Math.max(...rowNames.map((n) => textWidth(n)), textWidth('corruption')) + 10;
  const gridX = PAD + labelW;
  const gridY = PAD + TITLE_H + CELL_H;
  const width = Math.max(gridX + 6 * CELL_W + PAD, PAD * 2 + textWidth(title, 14), PAD * 2 + textWidth(`top-1 % by corruption and severity; ${cleanText(s)}`));
  const rows = rowNames.length;
  const height = gridY + rows * CELL_H + LEGEND_H + PAD;
  const cells: HeatCell[] = [];
  const labels: HeatLabel[] = [
    { x: PAD, y: PAD + 14, text: title, anchor: 'start', bold: true, size: 14 },
    { x: PAD, y: PAD + 32, text: `top-1 % by corruption and severity; ${cleanText(s)}`, anchor: 'start' },
    { x: gridX - 8, y: gridY - 8, text: 'corruption', anchor: 'end', bold: true },
    ...[1, 2, 3, 4, 5].map((v, i) => ({ x: gridX + i * CELL_W + CELL_W / 2, y: gridY - 8, text: `sev ${v}`, anchor: 'middle' as const, bold: true })),
    { x: gridX + 5 * CELL_W + CELL_W / 2, y: gridY - 8, text: 'CE %', anchor: 'middle', bold: true },
  ];
  const accCell = (x: number, y: number, acc: number | null): HeatCell => {
    if (acc === null) return { x, y, w: CELL_W, h: CELL_H, fill: NA_FILL, text: '–', textColour: NA_TEXT, value: null };
    const c = heatColour(acc);
    return { x, y, w: CELL_W, h: CELL_H, fill: c.background, text: pct(acc), textColour: c.text, value: acc };
  };
  s.scores.forEach((c, r) => {
    const y = gridY + r * CELL_H;
    labels.push({ x: gridX - 8, y: y + CELL_H / 2 + 4, text: rowNames[r], anchor: 'end' });
    c.accuracy.forEach((a, i) => cells.push(accCell(gridX + i * CELL_W, y, a)));
    cells.push({ x: gridX + 5 * CELL_W, y, w: CELL_W, h: CELL_H, fill: '#ffffff', text: c.ce === null ? '–' : pct(c.ce), textColour: INK, value: null });
  });
  const cleanY = gridY + (rows - 1) * CELL_H;
  labels.push({ x: gridX - 8, y: cleanY + CELL_H / 2 + 4, text: 'clean', anchor: 'end', bold: true });
  cells.push(accCell(gridX, cleanY, s.clean ? s.clean.metrics.acc1 : null));
  // Legend: ten viridis steps over 0–100 %.
  const legendY = gridY + rows * CELL_H + 10;
  const stepW = (5 * CELL_W) / 10;
  for (let i = 0; i < 10; i++) {
    const c = heatColour((i + 0.5) / 10);
    cells.push({ x: gridX + i * stepW, y: legendY, w: stepW, h: 10, fill: c.background, text: '', textColour: c.text, value: null });
  }
  for (const [i, t] of ['0', '50', '100 %'].entries()) labels.push({ x: gridX + (i * 5 * CELL_W) / 2, y: legendY + 24, text: t, anchor: i === 0 ? 'start' : i === 1 ? 'middle' : 'end' });
  return { width, height, cells, labels };
}

/** The layout as SVG markup (text stays text: searchable and sharp at any size). */
export function heatmapSvg(l: HeatmapLayout): string {
  const rect = (c: HeatCell): string => `<rect x="${c.x}" y="${c.y}" width="${c.w}" height="${c.h}" fill="${c.fill}" stroke="#ffffff" stroke-width="1"${c.value === null ? '' : ` data-value="${c.value}"`}/>`
    + (c.text ? `<text x="${c.x + c.w / 2}" y="${c.y + c.h / 2 + 4}" text-anchor="middle" fill="${c.textColour}">${e(c.text)}</text>` : '');
  const label = (t: HeatLabel): string => `<text x="${t.x}" y="${t.y}" text-anchor="${t.anchor}"${t.bold ? ' font-weight="bold"' : ''}${t.size ? ` font-size="${t.size}"` : ''}>${e(t.text)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="${e(FONT)}" font-size="${FONT_SIZE}" fill="${INK}">
<rect x="0" y="0" width="${l.width}" height="${l.height}" fill="#ffffff"/>
${l.cells.map(rect).join('\n')}
${l.labels.map(label).join('\n')}
</svg>
`;
}

/** The layout drawn to a PNG at `scale`× pixel density (white background). */
export function heatmapPng(l: HeatmapLayout, scale = 2): Buffer {
  const canvas = createCanvas(Math.round(l.width * scale), Math.round(l.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, l.width, l.height);
  ctx.textBaseline = 'alphabetic';
  for (const c of l.cells) {
    ctx.fillStyle = c.fill;
    ctx.fillRect(c.x, c.y, c.w, c.h);
    ctx.strokeStyle = '#ffffff';
    ctx.strokeRect(c.x, c.y, c.w, c.h);
    if (!c.text) continue;
    ctx.fillStyle = c.textColour;
    ctx.font = `${FONT_SIZE}px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.fillText(c.text, c.x + c.w / 2, c.y + c.h / 2 + 4);
  }
  for (const t of l.labels) {
    ctx.fillStyle = INK;
    ctx.font = `${t.bold ? 'bold ' : ''}${t.size ?? FONT_SIZE}px ${FONT}`;
    ctx.textAlign = t.anchor === 'middle' ? 'center' : t.anchor === 'end' ? 'right' : 'left';
    ctx.fillText(t.text, t.x, t.y);
  }
  return canvas.toBuffer('image/png');
}

/** A heatmap ready to write: file stem under charts/, its caption, PNG and SVG. */
export interface HeatmapFile {
  summary: CorruptionSummary;
  stem: string;
  caption: string;
  png: Buffer;
  svg: string;
}

/**
 * Every summary's heatmap as files named `heatmap-<model>-<prompts>[-<dataset>]` (the corrupted
 * dataset only when the report has several; a numeric suffix keeps slug collisions apart). The
 * title always names the dataset.
 */
export function heatmapFiles(summaries: readonly CorruptionSummary[]): HeatmapFile[] {
  const datasets = new Set(summaries.map((s) => s.dataset)).size;
  const used = new Set<string>();
  return summaries.map((s) => {
    const base = boundedFileBase(`heatmap-${slug(s.model)}-${slug(s.prompts)}${datasets > 1 ? `-${slug(s.dataset)}` : ''}`);
    let stem = base;
    for (let i = 2; used.has(stem); i++) stem = `${base}-${i}`;
    used.add(stem);
    const title = `${s.model} · ${s.prompts} · ${s.dataset}`;
    const layout = heatmapLayout(s, title);
    return { summary: s, stem, caption: `Corruption heatmap: ${title} (top-1 % per corruption and severity)`, png: heatmapPng(layout), svg: heatmapSvg(layout) };
  });
}
