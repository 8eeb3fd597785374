import type { Dataset, Sample } from '../../src/datasets/types.js';

/** Every sample of a dataset, in order. */
export async function collectSamples(ds: Dataset): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of ds.samples()) out.push(s);
  return out;
}
