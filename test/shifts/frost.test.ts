import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { makeRawImage } from '../../src/image/rawImage.js';
import { FROST_PHOTOS, loadFrostPhotos, scaledFrost } from '../../src/shifts/frost.js';
import { resolveShiftParams, type ShiftParams } from '../../src/shifts/paramSets.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { standInFrost } from './helpers.js';

const WEIGHTS = [[1, 0.4], [0.8, 0.6], [0.7, 0.7], [0.65, 0.7], [0.6, 0.75]];

it('blends the image and one frost crop with the published weights, truncating', async () => {
  const photos = standInFrost();
  const img = makeRawImage(64, 64);
  for (let i = 0; i < 64 * 64; i++) img.data.set([(i * 3) % 200, 90, (i * 5) % 130], i * 3);
  const drawn = new Set<number>();
  for (const severity of SEVERITIES) {
    const [a, b] = WEIGHTS[severity - 1];
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      const out = await applyShift(img, { corruption: 'frost', severity, params: 'scaled' }, id, { frost: photos });
      // which flat stand-in was used: the one that explains every pixel
      const k = photos.images.findIndex((p) => out.data.every((v, j) => v === Math.min(255, Math.floor(a * img.data[j] + b * p.data[j % 3]))));
      expect(k).toBeGreaterThanOrEqual(0);
      drawn.add(k);
    }
  }
  // numpy's randint(5): frost6 is never drawn
  expect(drawn.has(5)).toBe(false);
  expect(drawn.size).toBeGreaterThan(1);
});

it('scales the photograph like every length (scaled: s = side/224), more only when it would not cover the image', () => {
  const [photo] = standInFrost().images; // 480 × 320
  const scaled = (w: number, h: number): ShiftParams => resolveShiftParams('scaled', { width: w, height: h });
  expect([scaledFrost(photo, 64, 64, scaled(64, 64)).width, scaledFrost(photo, 64, 64, scaled(64, 64)).height]).toEqual([137, 91]);
  expect(scaledFrost(photo, 224, 224, scaled(224, 224))).toBe(photo);
  const tall = scaledFrost(photo, 64, 300, scaled(64, 300)); // s = 64/224 would give 91 rows < 300
  expect(tall.height).toBeGreaterThanOrEqual(300);
});

it('without the photographs frost says how to get them', async () => {
  const img = makeRawImage(8, 8);
  await expect(applyShift(img, { corruption: 'frost', severity: 1 }, 'x')).rejects.toThrow(/frost photographs/);
  await expect(applyShift(img, { corruption: 'frost', severity: 1 }, 'x')).rejects.toMatchObject({ code: 'INPUT', hint: expect.stringMatching(/zeroshift prepare imagenet-c-frost.*--frost-dir/) });
});

it('loads photographs only when they are the published files (unless told not to verify)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zeroshift-frost-'));
  await expect(loadFrostPhotos(dir)).rejects.toThrow(/frost: cannot read .*frost1\.png \(ENOENT\)/);
  for (const [k, p] of FROST_PHOTOS.entries()) {
    const raw = standInFrost().images[k];
    const png = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
    writeFileSync(join(dir, p.name), await (p.name.endsWith('.png') ? png.ensureAlpha().png() : png.jpeg({ quality: 100 })).toBuffer());
  }
  await expect(loadFrostPhotos(dir)).rejects.toThrow(/is not ImageNet-C's frost1\.png \(sha256 [0-9a-f]{64}, published ff9f9078/);
  const loaded = await loadFrostPhotos(dir, { verify: false });
  expect(loaded.images).toHaveLength(6);
  expect(loaded.images[0]).toMatchObject({ width: 480, height: 320 });
  expect(Array.from(loaded.images[0].data.subarray(0, 3))).toEqual([20, 10, 200]); // PNG alpha dropped
});
