import type { Dataset, Sample, SkippedItem } from '../../src/datasets/types.js';

/** Every sample of a dataset, in order. */
export async function collectSamples(ds: Dataset): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of ds.samples()) out.push(s);
  return out;
}

/** Every sample of a dataset, in order, and every item it skipped. */
export async function collectSamplesAndSkips(ds: Dataset): Promise<{ samples: Sample[]; skipped: SkippedItem[] }> {
  const samples: Sample[] = [];
  const skipped: SkippedItem[] = [];
  for await (const s of ds.samples({ onSkip: (x) => skipped.push(x) })) samples.push(s);
  return { samples, skipped };
}
