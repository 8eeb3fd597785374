import { ZeroshiftError } from '../errors.js';
import type { Dataset } from '../datasets/types.js';
import { readItemMetadata, type ItemMetadata } from '../datasets/metadata.js';
import { isCorrectPrediction } from '../datasets/scoringProtocol.js';
import { groupMetrics, groupSummary, groupValue, type GroupItem } from '../metrics/groups.js';
import type { Prediction, Result } from '../results/schema.js';
import type { GroupRequest } from './unit.js';

/** Metadata read once per dataset spec in a run (every shift and prompt set of it shares it). */
export type GroupMetadataMemo = Map<string, Promise<ItemMetadata>>;

/** The fields a result must have groups of to satisfy `requests`. */
export function hasGroups(result: Result, requests: readonly GroupRequest[]): boolean {
  return requests.every((r) => result.groups?.[r.field] !== undefined);
}

/**
 * Adds `groups.<field>.<value>` and `groupSummary.<field>` to a zero-shot classification
 * result from its per-item predictions (each item as the run scored it, under the result's
 * scoring protocol) and the dataset's per-item metadata. Top-5 per group is kept when the
 * result has top-5 (≥ 5 scored classes); a request ranked by acc5 (Dollar Street) needs it.
 */
export function addClassificationGroups(result: Result, predictions: readonly Prediction[], meta: ItemMetadata, requests: readonly GroupRequest[]): void {
  if (requests.length === 0) return;
  const needs5 = requests.find((r) => r.by === 'acc5');
  if (needs5 && result.metrics.acc5 === undefined) {
    throw new ZeroshiftError('CONFIG', `group field '${needs5.field}' of ${result.dataset.spec} is ranked by top-5 accuracy, but the result has fewer than 5 scored classes`);
  }
  const protocol = result.scoringProtocol;
  const withTop5 = result.metrics.acc5 !== undefined;
  const items: GroupItem[] = predictions.map((p) => ({
    label: p.label,
    pred: p.top[0],
    correct: p.correct,
    ...(withTop5 ? { correct5: p.top.slice(0, 5).some((c) => isCorrectPrediction(protocol, p.label, c)) } : {}),
  }));
  // Keyed by user-chosen field names: null prototypes keep a field named `__proto__`.
  result.groups = Object.create(null) as NonNullable<Result['groups']>;
  result.groupSummary = Object.create(null) as NonNullable<Result['groupSummary']>;
  for (const r of requests) {
    const g = groupMetrics(items, predictions.map((p) => groupValue(meta.get(p.id), r.field)));
    result.groups[r.field] = g;
    const s = groupSummary(g, r.by ?? 'acc1', r.exclude);
    if (s) result.groupSummary[r.field] = s;
  }
}

/** The dataset's metadata for `requests`, read once per run and dataset (throws USAGE when a field is absent). */
export function metadataFor(dataset: Dataset, requests: readonly GroupRequest[], memo: GroupMetadataMemo, signal?: AbortSignal): Promise<ItemMetadata> {
  const key = `${dataset.spec}\n${requests.map((r) => r.field).sort().join('\n')}`;
  let p = memo.get(key);
  if (!p) {
    p = readItemMetadata(dataset, requests.map((r) => r.field), signal);
    memo.set(key, p);
  }
  return p;
}
