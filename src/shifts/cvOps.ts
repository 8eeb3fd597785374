import { reflect101 } from './pixels.js';

// The OpenCV 8-bit operations ImageNet-C's spatter chains, on single-channel planes
// (row-major, width × height). Integer arithmetic as OpenCV's, so results match bit for bit.

const clampIdx = (i: number, n: number): number => (i < 0 ? 0 : i >= n ? n - 1 : i);

/**
 * cv2.Canny(img, low, high) (aperture 3, L1 gradient): Sobel with replicated borders,
 * |dx| + |dy|, non-maximum suppression along the gradient's octant (tan 22.5° in Q15),
 * hysteresis over 8-neighbours. Returns 255 on edges, 0 elsewhere.
 */
export function canny(src: Uint8Array, W: number, H: number, low: number, high: number): Uint8Array {
  const dx = new Int32Array(W * H);
  const dy = new Int32Array(W * H);
  const mag = new Int32Array((W + 2) * (H + 2)); // zero border of one
  const at = (x: number, y: number): number => src[clampIdx(y, H) * W + clampIdx(x, W)];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const gx = at(x + 1, y - 1) - at(x - 1, y - 1) + 2 * (at(x + 1, y) - at(x - 1, y)) + at(x + 1, y + 1) - at(x - 1, y + 1);
      const gy = at(x - 1, y + 1) - at(x - 1, y - 1) + 2 * (at(x, y + 1) - at(x, y - 1)) + at(x + 1, y + 1) - at(x + 1, y - 1);
      dx[y * W + x] = gx;
      dy[y * W + x] = gy;
      mag[(y + 1) * (W + 2) + x + 1] = Math.abs(gx) + Math.abs(gy);
    }
  }
  const lo = Math.floor(low);
  const hi = Math.floor(high);
  const TG22 = 13573; // round(tan(22.5°)·2^15)
  // map: 0 = maybe (weak), 1 = not an edge, 2 = edge
  const map = new Uint8Array(W * H).fill(1);
  const stack: number[] = [];
  const M = (x: number, y: number): number => mag[(y + 1) * (W + 2) + x + 1];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const m = M(x, y);
      if (m <= lo) continue;
      const xs = dx[y * W + x];
      const ys = dy[y * W + x];
      const ax = Math.abs(xs);
      const ay = Math.abs(ys) * 32768;
      const tg22x = ax * TG22;
      let peak: boolean;
      if (ay < tg22x) peak = m > M(x - 1, y) && m >= M(x + 1, y);
      else if (ay > tg22x + ax * 65536) peak = m > M(x, y - 1) && m >= M(x, y + 1);
      else {
        const s = (xs ^ ys) < 0 ? -1 : 1;
        peak = m > M(x - s, y - 1) && m > M(x + s, y + 1);
      }
      if (!peak) continue;
      if (m > hi) {
        map[y * W + x] = 2;
        stack.push(y * W + x);
      } else map[y * W + x] = 0;
    }
  }
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const x = p % W;
    const y = (p - x) / W;
    for (let j = -1; j <= 1; j++) {
      for (let i = -1; i <= 1; i++) {
        const xx = x + i;
        const yy = y + j;
        if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
        const q = yy * W + xx;
        if (map[q] === 0) {
          map[q] = 2;
          stack.push(q);
        }
      }
    }
  }
  return Uint8Array.from(map, (v) => (v === 2 ? 255 : 0));
}

/**
 * cv2.distanceTransform(img, DIST_L2, 5): distance to the nearest zero pixel by the 5×5
 * chamfer mask (1, 1.4, 2.1969) in 16-bit fixed point, two passes. Float32 values.
 */
export function distanceTransform5(src: Uint8Array, W: number, H: number): Float32Array {
  const fix = (v: number): number => Math.round(v * 65536);
  const HV = fix(1);
  const DIAG = fix(1.4);
  const LONG = fix(2.1969);
  const FAR = 2 ** 40; // beyond any reachable distance; OpenCV's border is INT_MAX-like
  const B = 2;
  const SW = W + 2 * B;
  const t = new Float64Array(SW * (H + 2 * B)).fill(FAR);
  const T = (x: number, y: number): number => t[(y + B) * SW + x + B];
  const set = (x: number, y: number, v: number): void => {
    t[(y + B) * SW + x + B] = v;
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (src[y * W + x] === 0) {
        set(x, y, 0);
        continue;
      }
      set(x, y, Math.min(
        T(x - 1, y - 2) + LONG, T(x + 1, y - 2) + LONG,
        T(x - 2, y - 1) + LONG, T(x - 1, y - 1) + DIAG, T(x, y - 1) + HV, T(x + 1, y - 1) + DIAG, T(x + 2, y - 1) + LONG,
        T(x - 1, y) + HV,
      ));
    }
  }
  const out = new Float32Array(W * H);
  for (let y = H - 1; y >= 0; y--) {
    for (let x = W - 1; x >= 0; x--) {
      let v = T(x, y);
      if (v > 0) {
        v = Math.min(v,
          T(x + 1, y) + HV,
          T(x - 2, y + 1) + LONG, T(x - 1, y + 1) + DIAG, T(x, y + 1) + HV, T(x + 1, y + 1) + DIAG, T(x + 2, y + 1) + LONG,
          T(x - 1, y + 2) + LONG, T(x + 1, y + 2) + LONG,
        );
        set(x, y, v);
      }
      out[y * W + x] = Math.min(v, 2 ** 31 - 1) / 65536;
    }
  }
  return out;
}

/** cv2.equalizeHist on 8-bit values (float32 scale, rounded half to even). */
export function equalizeHist(src: Uint8Array): Uint8Array {
  const hist = new Int32Array(256);
  for (const v of src) hist[v]++;
  let i = 0;
  while (i < 255 && hist[i] === 0) i++;
  if (hist[i] === src.length) return new Uint8Array(src.length).fill(i);
  const scale = Math.fround(255 / (src.length - hist[i]));
  const lut = new Uint8Array(256);
  let sum = 0;
  for (let j = i + 1; j < 256; j++) {
    sum += hist[j];
    lut[j] = Math.min(255, roundHalfEven(Math.fround(sum * scale)));
  }
  return Uint8Array.from(src, (v) => lut[v]);
}

/** cvRound: to nearest, halves to even. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d !== 0.5) return Math.round(v);
  return f % 2 === 0 ? f : f + 1;
}

/** cv2.blur(img, (3, 3)) on 8-bit values: 3×3 mean, BORDER_REFLECT_101, rounded. */
export function boxBlur3U8(src: Uint8Array, W: number, H: number): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) s += src[reflect101(y + j, H) * W + reflect101(x + i, W)];
      out[y * W + x] = roundHalfEven(s / 9);
    }
  }
  return out;
}

/** cv2.blur(img, (3, 3)) on float32 values (summed in double, scaled by 1/9, stored as float32). */
export function boxBlur3F32(src: Float32Array, W: number, H: number): Float32Array {
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) s += src[reflect101(y + j, H) * W + reflect101(x + i, W)];
      out[y * W + x] = s * (1 / 9);
    }
  }
  return out;
}

/** cv2.filter2D(img, CV_8U, kernel3x3): correlation, BORDER_REFLECT_101, saturated to bytes. */
export function filter2DU8(src: Uint8Array, W: number, H: number, kernel: readonly number[]): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) s += kernel[(j + 1) * 3 + i + 1] * src[reflect101(y + j, H) * W + reflect101(x + i, W)];
      out[y * W + x] = s <= 0 ? 0 : s >= 255 ? 255 : roundHalfEven(s);
    }
  }
  return out;
}
