/**
 * Cosine similarities of a batch of image embeddings against a classifier.
 * @param embeddings (N, D) L2-normalised, row-major
 * @param classifier (C, D) L2-normalised rows
 * @param columns optional subset of classifier rows to score (in this order); all when null
 * @returns (N, C') cosine similarities, row-major, C' = columns?.length ?? C
 */
export function cosineScores(
  embeddings: Float32Array,
  n: number,
  classifier: Float32Array,
  c: number,
  dim: number,
  columns: readonly number[] | null = null,
): Float32Array {
  const cols = columns ?? null;
  const width = cols ? cols.length : c;
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const eOff = i * dim;
    for (let j = 0; j < width; j++) {
      const wOff = (cols ? cols[j] : j) * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += embeddings[eOff + k] * classifier[wOff + k];
      out[i * width + j] = s;
    }
  }
  return out;
}
