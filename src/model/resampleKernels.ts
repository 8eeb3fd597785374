/**
 * Pillow's two 8-bit resampling passes run by a WebAssembly SIMD module (resample.wat), on the
 * coefficients pilResize.ts computes. They are the serial work between two inferences (the
 * node binding blocks the main thread during a run), and SIMD does in one instruction what
 * Pillow's C does per channel or per pixel: measured on this 2-vCPU VM, 224-px bicubic crops of
 * the bench's JPEG sizes took 0.80 CPU ms per image against 5.01 for the same passes in
 * JavaScript (medians, load ~7.5; docs/performance.md). The integer arithmetic is Pillow's, so
 * the bytes are too (test/model/pilReference.test.ts, pilResizeBox.test.ts, resampleKernels.test.ts).
 */
import { makeRawImage, type RawImage } from '../image/rawImage.js';
import type { AxisCoefficients } from './pilResize.js';
import { RESAMPLE_WASM_BASE64 } from './resampleWasmBytes.js';

/** The WebAssembly API as used here: the project's libs (ES2023, Node 20's types) do not declare it. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Kernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  horizontal(src: number, srcStride: number, rows: number, dst: number, outW: number, starts: number, counts: number, weights: number, ksize: number): void;
  vertical(src: number, stride: number, outRows: number, dst: number, starts: number, counts: number, weights: number, ksize: number): void;
}

/** Compiled once per thread (module loading is per thread: each decode worker has its own). */
let compiled: object | undefined;
/** The instance, whose memory grows to the largest image seen; dropped past MAX_KEPT_BYTES. */
let instance: Kernels | undefined;
/** Memory kept between calls: more than this (an unusually large image) is released after the call. */
const MAX_KEPT_BYTES = 64 << 20;
/** Source rows copied into the module per horizontal band, so a huge image never sits in it whole. */
const BAND_BYTES = 4 << 20;
/** Padding after each region: the kernels read and write up to 16 bytes past a row's end. */
const PAD = 16;

function kernels(): Kernels {
  compiled ??= new wasm.Module(Buffer.from(RESAMPLE_WASM_BASE64, 'base64'));
  instance ??= new wasm.Instance(compiled).exports as unknown as Kernels;
  return instance;
}

/** A bump allocator over the module's memory, 16-byte aligned. */
class Layout {
  size = 0;
  take(bytes: number): number {
    const at = this.size;
    this.size += Math.ceil((bytes + PAD) / 16) * 16;
    return at;
  }
}

function reserve(k: Kernels, bytes: number): void {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65536));
}

/** One axis's taps for outputs [from, from + n): starts shifted by `shift`, counts, weights. */
function writeTaps(k: Kernels, at: { starts: number; counts: number; weights: number }, c: AxisCoefficients, from: number, n: number, shift: number): void {
  const ints = new Int32Array(k.memory.buffer);
  for (let i = 0; i < n; i++) ints[(at.starts >> 2) + i] = c.starts[from + i] - shift;
  ints.set(c.counts.subarray(from, from + n), at.counts >> 2);
  ints.set(c.weights.subarray(from * c.ksize, (from + n) * c.ksize), at.weights >> 2);
}

function tapsAt(layout: Layout, c: AxisCoefficients, n: number): { starts: number; counts: number; weights: number } {
  return { starts: layout.take(4 * n), counts: layout.take(4 * n), weights: layout.take(4 * n * c.ksize) };
}

/** The passes of one resize, on rows [firstRow, lastRow) of `src`, which both passes' taps stay inside. */
export interface ResamplePasses {
  firstRow: number;
  lastRow: number;
  /** Output columns [left, left + width) of the horizontal pass; absent when the width is kept. */
  horizontal?: { coefficients: AxisCoefficients; left: number; width: number };
  /** Output rows [top, top + height) of the vertical pass; absent when the height is kept. */
  vertical?: { coefficients: AxisCoefficients; top: number; height: number };
}

/**
 * Pillow's horizontal then vertical pass (each only where its axis changes size) over a window
 * of `src`, as Resample.c runs them, in the module's memory.
 * @returns a new image: (vertical.height or the rows) × (horizontal.width or src.width)
 */
export function resampleWindow(src: RawImage, passes: ResamplePasses): RawImage {
  const k = kernels();
  try {
    return run(k, src, passes);
  } finally {
    if (k.memory.buffer.byteLength > MAX_KEPT_BYTES) instance = undefined;
  }
}

function run(k: Kernels, src: RawImage, { firstRow, lastRow, horizontal: h, vertical: v }: ResamplePasses): RawImage {
  const rows = lastRow - firstRow;
  const srcStride = src.width * 3;
  const width = h ? h.width : src.width;
  const stride = width * 3;
  const layout = new Layout();
  const band = h ? Math.max(1, Math.min(rows, Math.floor(BAND_BYTES / srcStride))) : rows;
  const input = layout.take(band * srcStride);
  const mid = h ? layout.take(rows * stride) : input;
  const out = v ? layout.take(v.height * stride) : mid;
  const hTaps = h ? tapsAt(layout, h.coefficients, h.width) : undefined;
  const vTaps = v ? tapsAt(layout, v.coefficients, v.height) : undefined;
  reserve(k, layout.size);
  if (h && hTaps) writeTaps(k, hTaps, h.coefficients, h.left, h.width, 0);
  if (v && vTaps) writeTaps(k, vTaps, v.coefficients, v.top, v.height, firstRow);
  const bytes = new Uint8Array(k.memory.buffer);
  for (let r = 0; r < rows; r += band) {
    const n = Math.min(band, rows - r);
    bytes.set(src.data.subarray((firstRow + r) * srcStride, (firstRow + r + n) * srcStride), input);
    if (h && hTaps) k.horizontal(input, srcStride, n, mid + r * stride, h.width, hTaps.starts, hTaps.counts, hTaps.weights, h.coefficients.ksize);
  }
  if (v && vTaps) k.vertical(mid, stride, v.height, out, vTaps.starts, vTaps.counts, vTaps.weights, v.coefficients.ksize);
  const result = makeRawImage(width, v ? v.height : rows);
  result.data.set(bytes.subarray(out, out + result.data.length));
  return result;
}
