/**
 * Benchmark inputs written to disk in the ImageFolder layout: the shapes set as 64×64 PNGs, and
 * JPEGs at ImageNet-like sizes. Reused when already present with the same count.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeShapesPngs } from '../../dist/datasets/shapes/writePngs.js';
import { createRng } from '../../dist/util/rng.js';

/** Typical ImageNet validation sizes (most are 500 px on the long side). */
const JPEG_SIZES = [[500, 375], [375, 500], [500, 333], [500, 500], [640, 480]];
const JPEG_CLASSES = 8;

function count(dir) {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).reduce((s, d) => s + readdirSync(join(dir, d.name)).length, 0);
}

/** Writes `n` shapes PNGs under `root/png-<n>` and returns the directory. */
export async function shapesPngs(root, n) {
  const dir = join(root, `png-${n}`);
  if (count(dir) !== n) await writeShapesPngs(dir, { options: { n: String(n) } });
  return dir;
}

/**
 * Writes `n` JPEGs (quality 90) of smooth colour fields with noise, so the encoder does real
 * work, under `root/jpeg-<n>`; sizes cycle through JPEG_SIZES.
 */
export async function imagenetLikeJpegs(root, n) {
  const dir = join(root, `jpeg-${n}`);
  if (count(dir) === n) return dir;
  const rng = createRng('bench-jpegs');
  for (let c = 0; c < JPEG_CLASSES; c++) mkdirSync(join(dir, `class${c}`), { recursive: true });
  for (let i = 0; i < n; i++) {
    const [w, h] = JPEG_SIZES[i % JPEG_SIZES.length];
    const data = new Uint8Array(w * h * 3);
    const base = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
    const fx = rng.uniform(0.005, 0.05);
    const fy = rng.uniform(0.005, 0.05);
    for (let y = 0, p = 0; y < h; y++) {
      for (let x = 0; x < w; x++, p += 3) {
        const wave = 64 * Math.sin(x * fx) * Math.cos(y * fy);
        for (let k = 0; k < 3; k++) data[p + k] = Math.max(0, Math.min(255, base[k] + wave * (k + 1) / 2 + rng.uniform(-12, 12)));
      }
    }
    const jpeg = await sharp(data, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    writeFileSync(join(dir, `class${i % JPEG_CLASSES}`, `img${String(i).padStart(6, '0')}.jpg`), jpeg);
  }
  return dir;
}
