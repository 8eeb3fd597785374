import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { makeTar } from '../datasets/helpers/tarWriter.js';

const COLORS: Record<string, [number, number, number]> = {
  red: [220, 30, 30], green: [30, 190, 50], blue: [30, 50, 220], yellow: [235, 225, 30], purple: [140, 40, 180], orange: [240, 140, 20], white: [245, 245, 245], black: [15, 15, 15],
};

/** (key, foreground, background): a square of one colour on another. */
export const SQUARE_ITEMS: readonly (readonly [string, string, string])[] = [
  ['s00', 'red', 'white'], ['s01', 'green', 'black'], ['s02', 'blue', 'yellow'], ['s03', 'yellow', 'purple'], ['s04', 'purple', 'orange'],
  ['s05', 'orange', 'blue'], ['s06', 'white', 'red'], ['s07', 'black', 'green'], ['s08', 'red', 'blue'], ['s09', 'green', 'orange'],
];

/** An item's two captions. */
export const captionsOf = (fg: string, bg: string): string[] => [`a ${fg} square`, `a ${fg} shape on a ${bg} background`];

/** An 80×72 PNG: a 40×40 square of colour `fg` on `bg`. */
async function squarePng(fg: string, bg: string): Promise<Buffer> {
  const [f, b] = [COLORS[fg], COLORS[bg]];
  const inner = await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: f[0], g: f[1], b: f[2] } } }).png().toBuffer();
  return sharp({ create: { width: 80, height: 72, channels: 3, background: { r: b[0], g: b[1], b: b[2] } } }).composite([{ input: inner, left: 22, top: 14 }]).png().toBuffer();
}

/**
 * Writes SQUARE_ITEMS as CLIP_benchmark's retrieval WebDataset under `dir` (dataset_type.txt =
 * retrieval, test/0.tar of KEY.png + KEY.txt, captions one a line), each item's captions given by
 * `captions` (default captionsOf). Returns each key's PNG bytes.
 */
export async function writeSquareCaptionsWds(dir: string, captions: (key: string, fg: string, bg: string) => string[] = (_, fg, bg) => captionsOf(fg, bg)): Promise<Map<string, Buffer>> {
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'dataset_type.txt'), 'retrieval\n');
  writeFileSync(join(dir, 'test', 'nshards.txt'), '1\n');
  const png = new Map<string, Buffer>();
  const entries: { name: string; data: Uint8Array | string }[] = [];
  for (const [key, fg, bg] of SQUARE_ITEMS) {
    const data = await squarePng(fg, bg);
    png.set(key, data);
    entries.push({ name: `${key}.png`, data }, { name: `${key}.txt`, data: `${captions(key, fg, bg).join('\n')}\n` });
  }
  writeFileSync(join(dir, 'test', '0.tar'), makeTar(entries));
  return png;
}
