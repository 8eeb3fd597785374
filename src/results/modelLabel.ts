/**
 * A model as every table, file name and message names it: `name` for fp32, `name (q8)` for any
 * other dtype. fp32 and q8 runs of one model give different numbers (the embedded model's worst
 * cosine is 0.99984), so a name alone would show two rows, or refuse two results, that look the
 * same.
 */
export function modelLabel(m: { name: string; dtype: string }): string {
  return m.dtype === 'fp32' ? m.name : `${m.name} (${m.dtype})`;
}
