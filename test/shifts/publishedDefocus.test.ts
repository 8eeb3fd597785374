import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diskKernel } from '../../src/shifts/disk.js';
import { filter2D } from '../../src/shifts/kernels.js';
import type { ShiftParamSetId } from '../../src/shifts/paramSets.js';
import { fromFloat, toFloat } from '../../src/shifts/pixels.js';
import { applyShift } from '../../src/shifts/registry.js';
import { publishedTestImage } from './publishedImage.js';

// Made by scripts/reference/imagenetC.py from the published generators (hendrycks/robustness
// make_imagenet_c.py, make_tinyimagenet_c.py, make_cifar_c.py) with Debian's OpenCV 4.6.
const ref = JSON.parse(readFileSync(new URL('./golden/published/defocus_blur.json', import.meta.url), 'utf8'));
const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');
const f32 = (b64: string): Float32Array => { const b = bytes(b64); return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); };
// ImageNet-C's (radius, alias σ) per severity, make_imagenet_c.py defocus_blur
const IMAGENET_C: [number, number][] = [[3, 0.1], [4, 0.5], [6, 0.5], [8, 0.5], [10, 0.5]];

describe('defocus_blur against the published generator', () => {
  it('builds disk(radius, alias_blur) bit for bit in float32, sums included', () => {
    for (const k of ref.kernels) {
      const ours = diskKernel(k.radius, k.alias);
      expect(ours.size, `radius ${k.radius}`).toBe(k.size);
      expect(Float32Array.from(ours.weights), `radius ${k.radius} σ ${k.alias}`).toEqual(f32(k.kernel));
      expect(ours.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(k.sum, 12);
    }
  });

  it('sums to 1.013 and 1.011 at ImageNet-C severities 4 and 5: the disk reaches its grid, and the alias blur reflects back in', () => {
    const sum = (r: number, a: number): number => diskKernel(r, a).weights.reduce((x, y) => x + y, 0);
    expect(sum(8, 0.5)).toBeCloseTo(1.012975, 6);
    expect(sum(10, 0.5)).toBeCloseTo(1.010786, 6);
    expect(Math.abs(sum(6, 0.5) - 1)).toBeLessThan(1e-7);
  });

  it('filters to the published bytes at ImageNet-C severities 1–5', () => {
    const s = ref.sets['imagenet-c'];
    const image = publishedTestImage(s.side, s.seed);
    for (const [i, [r, a]] of IMAGENET_C.entries()) {
      const out = fromFloat(filter2D(toFloat(image), diskKernel(r, a)));
      expect(Buffer.from(out.data).equals(bytes(s.severities[i].out)), `severity ${i + 1}`).toBe(true);
    }
  });

  it.each(['imagenet-c', 'tiny-imagenet-c', 'cifar-10-c'] as const)('applyShift with %s gives its generator\'s bytes at severities 1–5', async (set: ShiftParamSetId) => {
    const s = ref.sets[set];
    const image = publishedTestImage(s.side, s.seed);
    for (const severity of [1, 2, 3, 4, 5] as const) {
      const out = await applyShift(image, { corruption: 'defocus_blur', severity, params: set }, 'x');
      expect(Buffer.from(out.data).equals(bytes(s.severities[severity - 1].out)), `${set} severity ${severity}`).toBe(true);
    }
  });
});
