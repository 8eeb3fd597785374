import { makeRawImage, type RawImage } from '../image/rawImage.js';
import type { Rng } from '../util/rng.js';
import { motionBlurImage } from './motion.js';
import { makePlane, zoomCentre, type Plane } from './planes.js';
import { row } from './paramSets.js';
import { fromFloat, toFloat, type FloatImage } from './pixels.js';
import type { Corruption } from './types.js';

// (mean, std, flake zoom, threshold, motion radius, motion σ, blend) per severity and published
// set; `scaled` multiplies ImageNet-C's lengths (zoom, radius, σ) by s.
type SnowRow = readonly [number, number, number, number, number, number, number];
const SNOW: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly SnowRow[]> = {
  'imagenet-c': [
    [0.1, 0.3, 3, 0.5, 10, 4, 0.8],
    [0.2, 0.3, 2, 0.5, 12, 4, 0.7],
    [0.55, 0.3, 4, 0.9, 12, 8, 0.7],
    [0.55, 0.3, 4.5, 0.85, 12, 8, 0.65],
    [0.55, 0.3, 2.5, 0.85, 12, 12, 0.55],
  ],
  'tiny-imagenet-c': [
    [0.1, 0.2, 1, 0.6, 8, 3, 0.8],
    [0.1, 0.2, 1, 0.5, 10, 4, 0.8],
    [0.15, 0.3, 1.75, 0.55, 10, 4, 0.7],
    [0.25, 0.3, 2.25, 0.6, 12, 6, 0.65],
    [0.3, 0.3, 1.25, 0.65, 14, 12, 0.6],
  ],
  'cifar-10-c': [
    [0.1, 0.2, 1, 0.6, 8, 3, 0.95],
    [0.1, 0.2, 1, 0.5, 10, 4, 0.9],
    [0.15, 0.3, 1.75, 0.55, 10, 4, 0.9],
    [0.25, 0.3, 2.25, 0.6, 12, 6, 0.85],
    [0.3, 0.3, 1.25, 0.65, 14, 12, 0.8],
  ],
};

/**
 * The flake layer before its motion blur, as 8-bit grey: the noise field `field` (one cell
 * per flake, ceil(side/z) cells a side) zoomed by z about its centre to `width`×`height`,
 * values under `threshold` set to 0, then `np.uint8(clip(v, 0, 1)·255)`.
 */
export function snowFlakes(field: Plane, z: number, threshold: number, width: number, height: number): Uint8Array {
  const zoomed = zoomCentre(field, z, width, height);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const v = zoomed.data[i] < threshold ? 0 : zoomed.data[i];
    out[i] = v >= 1 ? 255 : v > 0 ? Math.floor(v * 255) : 0;
  }
  return out;
}

/**
 * Composites the motion-blurred flake layer (8-bit grey) onto the image as ImageNet-C does:
 * x ← b·x + (1 − b)·max(x, grey(x)·1.5 + 0.5) (grey = 0.299 R + 0.587 G + 0.114 B), then
 * x + layer + layer rotated by 180°. Returns floats (unclipped).
 */
export function snowComposite(image: RawImage, layer: Uint8Array, blend: number): FloatImage {
  const x = toFloat(image);
  const { width: W, height: H } = image;
  for (let y = 0; y < H; y++) {
    for (let px = 0; px < W; px++) {
      const p = (y * W + px) * 3;
      const grey = 0.299 * x.data[p] + 0.587 * x.data[p + 1] + 0.114 * x.data[p + 2];
      const flakes = layer[y * W + px] / 255 + layer[(H - 1 - y) * W + (W - 1 - px)] / 255;
      for (let c = 0; c < 3; c++) {
        const v = x.data[p + c];
        x.data[p + c] = blend * v + (1 - blend) * Math.max(v, grey * 1.5 + 0.5) + flakes;
      }
    }
  }
  return x;
}

/** Motion blur of a grey layer (ImageMagick's, as for motion_blur). */
function blurLayer(layer: Uint8Array, width: number, height: number, radius: number, sigma: number, angle: number): Uint8Array {
  const rgb = makeRawImage(width, height);
  for (let i = 0; i < layer.length; i++) rgb.data[i * 3] = rgb.data[i * 3 + 1] = rgb.data[i * 3 + 2] = layer[i];
  const blurred = motionBlurImage(rgb, radius, sigma, angle);
  return Uint8Array.from({ length: layer.length }, (_, i) => blurred.data[i * 3]);
}

/** The centre `width` × `height` window of a plane, offsets floor((W − w) / 2) as clipped_zoom's. */
function centreCrop(p: Plane, width: number, height: number): Plane {
  const out = makePlane(width, height);
  const top = Math.floor((p.height - height) / 2);
  const left = Math.floor((p.width - width) / 2);
  for (let y = 0; y < height; y++) out.data.set(p.data.subarray((top + y) * p.width + left, (top + y) * p.width + left + width), y * width);
  return out;
}

function normalField(width: number, height: number, mean: number, std: number, rng: Rng): Plane {
  const p = makePlane(width, height);
  for (let i = 0; i < p.data.length; i++) p.data[i] = mean + std * rng.normal();
  return p;
}

export const snow: Corruption = {
  id: 'snow',
  family: 'weather',
  summary: 'zoomed, thresholded noise as flakes, motion-blurred at −135°…−45°, added twice (and rotated) over a whitened image',
  parameters: SNOW['imagenet-c'].map(([m, sd, z, t, r, g, b]) => `N(${m}, ${sd}²), zoom ${z}·s, threshold ${t}, motion r ${r}·s σ ${g}·s, blend ${b}`),
  apply(image, severity, rng, params) {
    const s = params.scale;
    const [mean, std, zoom, threshold, radius, sigma, blend] = row(SNOW, params, severity);
    const { width: W, height: H } = image;
    // One noise cell per flake: ImageNet-C draws a whole H×W field and zooms its centre
    // ceil(H/z) × ceil(W/z) crop (clipped_zoom); drawing the whole field too keeps numpy's draw
    // order, so a seeded published run replays exactly. Below 224 px the scaled zoom can fall
    // under 1: the field is then drawn at the (larger) size the zoom needs.
    const z = zoom * s;
    const [cw, ch] = [Math.ceil(W / z), Math.ceil(H / z)];
    const field = z >= 1 ? centreCrop(normalField(W, H, mean, std, rng), cw, ch) : normalField(cw, ch, mean, std, rng);
    const flakes = snowFlakes(field, z, threshold, W, H);
    const layer = blurLayer(flakes, W, H, radius * s, sigma * s, rng.uniform(-135, -45));
    return fromFloat(snowComposite(image, layer, blend));
  },
};
