import type { Result, Prediction } from '../results/schema.js';
import type { ResultKey } from '../results/paths.js';
import { findResultById, readPredictions } from '../results/store.js';
import { writeFileAtomic } from '../util/atomicWrite.js';

/**
 * --skip-existing: when every result of the unit exists with the same identity (not merely the
 * same name), lists them as reused (first createdAt and timings kept, `reusedAt` set) and
 * returns them (each file passed to `o.wrote`).
 */
export async function reuseExisting(keys: ResultKey[], o: { outDir: string; keepPredictions?: boolean; wrote(file: string): void }, complete: (r: Result) => boolean): Promise<{ results: Result[]; predictions: Prediction[][] } | null> {
  const found = await Promise.all(keys.map((k) => findResultById(o.outDir, k)));
  if (!found.every((f) => f !== null && complete(f.result))) return null;
  const reused: { results: Result[]; predictions: Prediction[][] } = { results: [], predictions: [] };
  for (const f of found as { file: string; result: Result }[]) {
    const result: Result = { ...f.result, reusedAt: new Date().toISOString() };
    await writeFileAtomic(f.file, `${JSON.stringify(result, null, 2)}\n`);
    o.wrote(f.file);
    reused.results.push(result);
    if (o.keepPredictions) reused.predictions.push(await readPredictions(f.file, result));
  }
  return reused;
}
