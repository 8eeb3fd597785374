/** What names a model run: its name, dtype and (absent = cpu) ONNX Runtime execution provider. */
export interface ModelVariant {
  name: string;
  dtype: string;
  executionProvider?: string;
}

/**
 * The execution provider a result's towers ran on. Results record it only when it is not the
 * CPU (so CPU results and their file names are what they were before it was recorded); absent
 * means cpu.
 */
export function executionProviderOf(m: Pick<ModelVariant, 'executionProvider'>): string {
  return m.executionProvider ?? 'cpu';
}

/**
 * A model as every table, file name and message names it: `name` for fp32 on the CPU, else the
 * dtype and the execution provider that are not the default after it: `name (q8)`, `name (cuda)`,
 * `name (q8, cuda)`. fp32 and q8 runs of one model give different numbers (the embedded model's
 * worst cosine is 0.99984), and so do CPU and CUDA runs (ONNX Runtime's CUDA kernels use TF32
 * for float matmuls and convolutions by default), so a name alone would show two rows, or refuse
 * two results, that look the same.
 */
export function modelLabel(m: ModelVariant): string {
  const ep = executionProviderOf(m);
  const tags = [m.dtype && m.dtype !== 'fp32' ? m.dtype : null, ep === 'cpu' ? null : ep].filter((t) => t !== null);
  return tags.length > 0 ? `${m.name} (${tags.join(', ')})` : m.name;
}

/** A key that tells model runs apart exactly as modelLabel names them (name, dtype, execution provider). */
export function modelVariantKey(m: ModelVariant): string {
  return `${m.name}|${m.dtype || 'fp32'}|${executionProviderOf(m)}`;
}
