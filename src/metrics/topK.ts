import { ZeroshiftError } from '../errors.js';

/** Top-k selection result: `indices` and `values` are (N, k) row-major. */
export interface TopK {
  k: number;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * True when (va, ia) ranks before (vb, ib): larger value first, ties broken by the LOWER
 * class index (numpy argmax keeps the first maximum; torch.topk leaves ties unspecified).
 * NaN ranks after every number so a broken row never wins.
 */
export function ranksBefore(va: number, ia: number, vb: number, ib: number): boolean {
  const aNaN = Number.isNaN(va);
  const bNaN = Number.isNaN(vb);
  if (aNaN !== bNaN) return bNaN;
  if (!aNaN && va !== vb) return va > vb;
  return ia < ib;
}

/**
 * Writes the k best (index, value) pairs of `row[offset .. offset + c)` into `outIdx` /
 * `outVal` at `outOffset`, best first. Keeps a sorted buffer of k entries, O(c·k): for
 * k = 5 and c = 1000 this beats sorting the row.
 */
export function topKRowInto(
  row: ArrayLike<number>, offset: number, c: number, k: number,
  outIdx: Int32Array, outVal: Float32Array | Float64Array, outOffset: number,
): void {
  let filled = 0;
  for (let j = 0; j < c; j++) {
    const v = row[offset + j];
    if (filled === k && !ranksBefore(v, j, outVal[outOffset + k - 1], outIdx[outOffset + k - 1])) continue;
    let pos = filled < k ? filled++ : k - 1;
    // Shift worse entries down; ranksBefore keeps earlier (lower) indices ahead on ties.
    while (pos > 0 && ranksBefore(v, j, outVal[outOffset + pos - 1], outIdx[outOffset + pos - 1])) {
      outIdx[outOffset + pos] = outIdx[outOffset + pos - 1];
      outVal[outOffset + pos] = outVal[outOffset + pos - 1];
      pos--;
    }
    outIdx[outOffset + pos] = j;
    outVal[outOffset + pos] = v;
  }
}

/**
 * Indices and values of the k largest entries of each row of `logits` (N, C) row-major,
 * best first; ties go to the lower class index. k is clipped to C (the returned `k`
 * says how many columns the outputs have).
 */
export function topK(logits: Float32Array, n: number, c: number, k: number): TopK {
  if (logits.length !== n * c) {
    throw new ZeroshiftError('INTERNAL', `topK: logits has ${logits.length} values, expected n·c = ${n}·${c} = ${n * c}`);
  }
  if (!Number.isInteger(k) || k < 1) throw new ZeroshiftError('INTERNAL', `topK: k must be a positive integer, got ${k}`);
  const kk = Math.min(k, c);
  const indices = new Int32Array(n * kk);
  const values = new Float32Array(n * kk);
  for (let i = 0; i < n; i++) topKRowInto(logits, i * c, c, kk, indices, values, i * kk);
  return { k: kk, indices, values };
}
