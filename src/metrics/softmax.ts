/**
 * Softmax of `scale · row[offset .. offset + c)` in float64, numerically stable (the row
 * maximum is subtracted before exponentiating). Returns a (C,) Float64Array summing to 1.
 */
export function softmaxRow(row: ArrayLike<number>, scale: number, offset = 0, c = row.length - offset): Float64Array {
  const out = new Float64Array(c);
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, scale * row[offset + j]);
  let sum = 0;
  for (let j = 0; j < c; j++) {
    const e = Math.exp(scale * row[offset + j] - max);
    out[j] = e;
    sum += e;
  }
  for (let j = 0; j < c; j++) out[j] /= sum;
  return out;
}

/** Row-wise softmax of `scale · logits` for (N, C) row-major logits; returns (N, C) float64. */
export function softmax(logits: Float32Array, n: number, c: number, scale: number): Float64Array {
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) out.set(softmaxRow(logits, scale, i * c, c), i * c);
  return out;
}
