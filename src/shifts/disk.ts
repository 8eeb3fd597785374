import type { Kernel2D } from './kernels.js';
import { reflect101 } from './pixels.js';

const f32 = Math.fround;

/**
 * The grid ImageNet-C draws its disk on: the 17 whole points −8…8 for radii up to 8, else
 * `np.arange(-radius, radius + 1)` (which starts at −radius, so a fractional radius shifts the
 * grid off the integers). The grid does not grow with the radius below 8, so a radius-8 disk
 * touches its edge.
 */
function diskGrid(radius: number): number[] {
  if (radius <= 8) return Array.from({ length: 17 }, (_, i) => i - 8);
  const n = Math.ceil(radius + 1 + radius);
  return Array.from({ length: n }, (_, i) => -radius + i);
}

/**
 * OpenCV's Gaussian taps for a float32 image (getGaussianKernel through its bit-exact double
 * path, then rounded to float): exp(−x²/8σ²) at the doubled offsets x = 1 − n, 3 − n, …,
 * normalised by 1/(2·Σ side taps + 1).
 */
function cvGaussianTaps(n: number, sigma: number): number[] {
  const scale = -0.125 / (sigma * sigma);
  const half = (n - 1) / 2;
  const side: number[] = [];
  let sum = 0;
  for (let i = 0, x = 1 - n; i < half; i++, x += 2) {
    side.push(Math.exp(x * x * scale));
    sum += side[i];
  }
  const mul = 1 / (sum * 2 + 1);
  const taps = new Array<number>(n);
  for (let i = 0; i < half; i++) taps[i] = taps[n - 1 - i] = f32(side[i] * mul);
  taps[half] = f32(mul);
  return taps;
}

/**
 * One pass of cv2.GaussianBlur on a float32 square (BORDER_REFLECT_101 inside the grid), in
 * the float32 order of OpenCV 4.6's SIMD row and column filters: the rows of a 3-tap kernel
 * compute fma(centre, k0, (left + right)·k1); 5-tap rows and all columns start from centre·k0
 * and add fma((a + b), kj, acc) outwards. A float32 fma is the exact double a·b + c rounded to
 * float, as in the Python emulation this was checked against bit for bit (scripts/reference).
 */
function blurPass(src: Float32Array, n: number, taps: number[], alongRows: boolean): Float32Array {
  const r = (taps.length - 1) / 2;
  const out = new Float32Array(n * n);
  const at = (y: number, x: number, d: number): number =>
    alongRows ? src[y * n + reflect101(x + d, n)] : src[reflect101(y + d, n) * n + x];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let acc: number;
      if (alongRows && r === 1) {
        acc = f32(at(y, x, 0) * taps[1] + f32(f32(at(y, x, -1) + at(y, x, 1)) * taps[2]));
      } else {
        acc = f32(at(y, x, 0) * taps[r]);
        for (let j = 1; j <= r; j++) acc = f32(acc + f32(at(y, x, -j) + at(y, x, j)) * taps[r + j]);
      }
      out[y * n + x] = acc;
    }
  }
  return out;
}

/**
 * The defocus point-spread function exactly as ImageNet-C's `disk(radius, alias_blur)` makes
 * it (make_imagenet_c.py, make_tinyimagenet_c.py, make_cifar_c.py): the whole grid points with
 * x² + y² ≤ radius² set to 1/count in float32, then cv2.GaussianBlur with a 3×3 (radius ≤ 8) or
 * 5×5 kernel of σ = `aliasBlur`, whose reflect-101 border folds light that leaves the grid back
 * in. So the kernel sums to 1 up to float32 rounding except where the disk reaches the grid's
 * edge: 1.01298 at radius 8 and 1.01079 at radius 10 (ImageNet-C severities 4 and 5), which
 * brightens those images by about 1.3 % as in the published data.
 * Returns a `size`×`size` row-major kernel (size 17 for radius ≤ 8), float32 values as doubles.
 */
export function diskKernel(radius: number, aliasBlur: number): Kernel2D {
  const grid = diskGrid(radius);
  const n = grid.length;
  const disk = new Float32Array(n * n);
  let count = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (grid[x] * grid[x] + grid[y] * grid[y] <= radius * radius) {
        disk[y * n + x] = 1;
        count++;
      }
    }
  }
  const w = f32(1 / count);
  for (let i = 0; i < disk.length; i++) if (disk[i] === 1) disk[i] = w;
  const taps = cvGaussianTaps(radius <= 8 ? 3 : 5, aliasBlur);
  const blurred = blurPass(blurPass(disk, n, taps, true), n, taps, false);
  return { size: n, weights: Float64Array.from(blurred) };
}
