import { ZeroshiftError } from '../errors.js';
import { metricsFromPredictions } from '../metrics/fromPredictions.js';
import { acceptableColumns, labelClassCount } from '../datasets/scoringProtocol.js';
import type { Prediction, Result } from './schema.js';

/** One partial result (items [range.start, range.end) of a unit) with its predictions. */
export interface RangedPart {
  file: string;
  shard: string;
  result: Result;
  predictions: Prediction[];
}

/**
 * Joins the item-range results of one unit into the result a single run would write:
 * predictions concatenated in range order (= dataset order), metrics recomputed from them
 * exactly as the streaming accumulator computed them under the recorded scoring protocol,
 * the whole unit's id restored. Refuses gaps, overlaps and parts that disagree.
 */
export function mergeRangedParts(parts: RangedPart[]): { result: Result; predictions: Prediction[] } {
  const sorted = [...parts].sort((a, b) => a.result.range!.start - b.result.range!.start);
  const first = sorted[0];
  checkCoverage(sorted);
  for (const p of sorted.slice(1)) checkSameUnit(first, p);
  const predictions = sorted.flatMap((p) => p.predictions);
  const d = first.result.dataset;
  const protocol = first.result.scoringProtocol;
  const report = metricsFromPredictions(predictions, {
    numClasses: d.numClasses,
    numLabelClasses: labelClassCount(protocol, d.numClasses),
    acceptable: (label) => acceptableColumns(protocol, label) ?? [],
    // Per-class rows are over the true-label space: the dataset's own classes under a many-to-one mapping.
    classNames: protocol.labelColumns ? first.result.perClass.map((c) => c.name) : d.classNames,
  });
  const { range, ...base } = first.result;
  const result: Result = {
    ...base,
    id: range!.unitId,
    createdAt: sorted.map((p) => p.result.createdAt).sort().at(-1)!,
    metrics: report.metrics,
    perClass: report.perClass,
    confusion: report.confusion,
    skipped: uniqueSkipped(sorted),
    timings: sumTimings(sorted.map((p) => p.result.timings)),
  };
  return { result, predictions };
}

function describe(p: RangedPart): string {
  return `${p.file} (shard ${p.shard}, items ${p.result.range!.start}-${p.result.range!.end})`;
}

function checkCoverage(sorted: RangedPart[]): void {
  const of = sorted[0].result.range!.of;
  let at = 0;
  for (const p of sorted) {
    const r = p.result.range!;
    if (r.start > at) throw new ZeroshiftError('MERGE', `items ${at}-${r.start} of ${sorted[0].result.range!.unitId} are in no shard's results (next part: ${describe(p)}); is a shard directory missing?`);
    if (r.start < at) throw new ZeroshiftError('MERGE', `item ranges overlap at ${r.start}: ${describe(p)} starts before the previous part ends (${at})`);
    at = r.end;
  }
  if (at < of) throw new ZeroshiftError('MERGE', `items ${at}-${of} of ${sorted[0].result.range!.unitId} are in no shard's results (last part: ${describe(sorted.at(-1)!)})`);
}

function checkSameUnit(a: RangedPart, b: RangedPart): void {
  const fields: [string, (r: Result) => unknown][] = [
    ['unit id', (r) => r.range!.unitId],
    ['item count', (r) => r.range!.of],
    ['model hashes', (r) => r.model.hashes],
    ['dataset fingerprint', (r) => r.dataset.fingerprint],
    ['class names', (r) => r.dataset.classNames],
    ['prompt hash', (r) => r.prompts.hash],
    ['scoring protocol', (r) => r.scoringProtocol],
    ['scoring rule', (r) => r.model.scoring],
    ['zeroshiftVersion', (r) => r.zeroshiftVersion],
  ];
  for (const [name, get] of fields) {
    if (JSON.stringify(get(a.result)) !== JSON.stringify(get(b.result))) {
      throw new ZeroshiftError('MERGE', `parts of one unit disagree on ${name}: ${describe(a)} vs ${describe(b)}`);
    }
  }
}

function uniqueSkipped(sorted: RangedPart[]): Result['skipped'] {
  // Items a dataset itself skips before a range's start are reported by every later range too.
  const seen = new Set<string>();
  return sorted.flatMap((p) => p.result.skipped).filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}

function sumTimings(ts: Result['timings'][]): Result['timings'] {
  const totalSeconds = ts.reduce((a, t) => a + t.totalSeconds, 0);
  const imagesComputed = ts.reduce((a, t) => a + t.imagesComputed, 0);
  const imagesFromCache = ts.reduce((a, t) => a + t.imagesFromCache, 0);
  // Parts of a lane that shared another lane's image stream (a text shift): summed like the others, absent when none did.
  const imagesShared = ts.reduce((a, t) => a + (t.imagesShared ?? 0), 0);
  const rate = (imagesComputed + imagesFromCache + imagesShared) / Math.max(totalSeconds, 1e-9);
  return { totalSeconds: Math.round(totalSeconds * 1000) / 1000, imagesComputed, imagesFromCache, ...(imagesShared > 0 ? { imagesShared } : {}), imagesPerSecond: Math.round(rate * 10) / 10 };
}
