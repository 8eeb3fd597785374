import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { motionBlurImage } from '../../src/shifts/motion.js';
import { resolveShiftParams, type PublishedParamSet } from '../../src/shifts/paramSets.js';
import { applyShift, getCorruption } from '../../src/shifts/registry.js';
import { crops, diff, publishedTestImage, replayRng } from './publishedImage.js';

// Made by scripts/reference/imagenetC.py from the three published generators (hendrycks/robustness
// make_imagenet_c.py, make_tinyimagenet_c.py, make_cifar_c.py) with Debian's numpy, scipy,
// scikit-image, OpenCV, Pillow and ImageMagick; random draws recorded there and replayed here.
const ref = JSON.parse(readFileSync(new URL('./golden/published/parameterSets.json', import.meta.url), 'utf8'));
const SETS: PublishedParamSet[] = ['imagenet-c', 'tiny-imagenet-c', 'cifar-10-c'];
const bytes = (b64: string): Uint8Array => Uint8Array.from(Buffer.from(b64, 'base64'));
const f64 = (b64: string): Float64Array => { const b = Buffer.from(b64, 'base64'); return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); };

describe.each(SETS)('%s: zeroshift against its published generator', (set) => {
  it('gaussian_blur, zoom_blur, contrast, brightness, saturate, pixelate and defocus_blur give its bytes at severities 1–5 (crops)', async () => {
    const d = ref.deterministic[set];
    const image = publishedTestImage(d.side, d.seed);
    for (const [corruption, rows] of Object.entries(d.corruptions) as [string, string[]][]) {
      for (const [i, expected] of rows.entries()) {
        const out = await applyShift(image, { corruption, severity: (i + 1) as 1, params: set }, 'x');
        const r = diff(crops(out), bytes(expected));
        // one level on under 1 % of bytes: float rounding of values that land on an integer
        expect(r.max, `${corruption} ${i + 1}`).toBeLessThanOrEqual(1);
        expect(r.differing, `${corruption} ${i + 1}`).toBeLessThan(0.01 * crops(out).length + 1);
      }
    }
  });

  it('the four noise corruptions give its bytes when fed its draws', () => {
    const n = ref.noise[set];
    const image = publishedTestImage(n.side, n.seed);
    const params = resolveShiftParams(set, image);
    for (const [corruption, rows] of Object.entries(n.corruptions) as [string, { severity: 1; out: string; normals?: string; poissons?: number[]; flipped?: string; salted?: string }[]][]) {
      for (const row of rows) {
        let uniforms: number[] | undefined;
        if (row.flipped) {
          // skimage draws every flip, then every salt; zeroshift asks for (flip, salt) per value
          const [f, s] = [f64(row.flipped), f64(row.salted!)];
          uniforms = Array.from(f).flatMap((u, i) => [u, s[i]]);
        }
        const rng = replayRng({ normals: row.normals ? f64(row.normals) : undefined, poissons: row.poissons, uniforms });
        const out = getCorruption(corruption).apply(image, row.severity, rng, params);
        expect(rng.left(), `${corruption} ${row.severity}: every draw used`).toBe(0);
        const r = diff(out.data, bytes(row.out));
        expect(r.max, `${corruption} ${row.severity}`).toBeLessThanOrEqual(1);
        expect(r.differing, `${corruption} ${row.severity}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('spatter and elastic_transform give its bytes when fed its draws (normal field; affine jitter and displacement noise)', () => {
    const f = ref.fields[set];
    const image = publishedTestImage(f.side, f.seed);
    const params = resolveShiftParams(set, image);
    for (const [corruption, rows] of Object.entries(f.corruptions) as [string, { severity: 1; out: string; normals?: string; uniforms?: string }[]][]) {
      for (const row of rows) {
        const rng = replayRng({ normals: row.normals ? f64(row.normals) : undefined, uniforms: row.uniforms ? f64(row.uniforms) : undefined });
        const out = getCorruption(corruption).apply(image, row.severity, rng, params);
        expect(rng.left(), `${corruption} ${row.severity}: every draw used`).toBe(0);
        const r = diff(out.data, bytes(row.out));
        expect(r.max, `${corruption} ${row.severity}`).toBeLessThanOrEqual(1);
        expect(r.differing, `${corruption} ${row.severity}`).toBeLessThanOrEqual(Math.ceil(0.01 * out.data.length));
      }
    }
  });

  it('motion_blur equals ImageMagick\'s rounded blur; Debian 6.9.11\'s PNG round trip truncates it by 0 or 1', () => {
    const m = ref.motion[set];
    const image = publishedTestImage(m.side, m.seed);
    for (const row of m.severities) {
      const ours = motionBlurImage(image, row.radius, row.sigma, row.angle);
      const rounded = bytes(row.rounded);
      const published = bytes(row.published);
      const r = diff(ours.data, rounded);
      expect(r.max, `severity ${row.severity}`).toBeLessThanOrEqual(1);
      expect(r.differing, `severity ${row.severity}`).toBeLessThan(0.01 * rounded.length);
      let truncated = 0;
      for (let i = 0; i < rounded.length; i++) {
        expect(rounded[i] - published[i]).toBeGreaterThanOrEqual(0);
        expect(rounded[i] - published[i]).toBeLessThanOrEqual(1);
        truncated += rounded[i] - published[i];
      }
      expect(truncated).toBeGreaterThan(0.2 * rounded.length); // about half the bytes, measured
    }
  });
});
