import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { imagenetWordnetClasses } from '../../src/datasets/subsets.js';

/**
 * ImageNet val's layout under `dir`: the 1000 WordNet-id folders in class order, each holding
 * one 8×8 PNG of `rgb` named by `fileName(wnid)`. Returns `dir`.
 */
export async function makeImagenetValFolder(dir: string, rgb: { r: number; g: number; b: number }, fileName: (wnid: string) => string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const png = join(dir, '..', `tiny-${rgb.r}-${rgb.g}-${rgb.b}.png`);
  await writeFile(png, await sharp({ create: { width: 8, height: 8, channels: 3, background: rgb } }).png().toBuffer());
  for (const { wnid } of imagenetWordnetClasses()) {
    await mkdir(join(dir, wnid), { recursive: true });
    await copyFile(png, join(dir, wnid, fileName(wnid)));
  }
  return dir;
}
