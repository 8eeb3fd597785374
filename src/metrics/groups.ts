import { ZeroshiftError } from '../errors.js';
import { clopperPearson } from './clopperPearson.js';

/** The group of items whose metadata lacks the field. */
export const MISSING_GROUP = '(missing)';

/** Per-item outcome a group metric needs. */
export interface GroupItem {
  label: number;
  /** Top-1 prediction. */
  pred: number;
  /** Top-1 correct under the dataset's rule (label equality, or ObjectNet's acceptable sets). */
  correct: boolean;
  /** Top-5 correct, when the task has ≥ 5 classes. */
  correct5?: boolean;
}

export interface GroupStats {
  n: number;
  acc1: number;
  acc1Ci: [number, number];
  /** sklearn balanced_accuracy_score within the group (classes with samples in the group). */
  meanPerClassRecall: number;
  /** Present when every item of the group carries `correct5`. */
  acc5?: number;
}

export interface GroupExtreme {
  value: string;
  acc1: number;
  /** The metric the summary ranks groups by, when it is not acc1 (DataComp's Dollar Street: acc5). */
  metric?: number;
}

export interface GroupSummary {
  /** Which GroupStats field ranked the groups. */
  by: 'acc1' | 'acc5';
  worst: GroupExtreme;
  best: GroupExtreme;
  /** best − worst of the ranking metric. */
  gap: number;
}

/**
 * The metadata value an item belongs to under `field`: strings as they are, numbers and
 * booleans as JSON writes them, absent/null/empty → MISSING_GROUP. Objects and arrays are
 * grouped by their JSON text so no item is silently dropped.
 */
export function groupValue(metadata: Record<string, unknown> | undefined, field: string): string {
  // Own keys only: a field named `__proto__` or `constructor` must not read Object.prototype.
  const v = metadata !== undefined && Object.hasOwn(metadata, field) ? metadata[field] : undefined;
  if (v === undefined || v === null || v === '') return MISSING_GROUP;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Metrics per group value: items (N,) with `values` (N,) their group of one field.
 * Keys are sorted (code-point order) so results are byte-stable.
 */
export function groupMetrics(items: readonly GroupItem[], values: readonly string[]): Record<string, GroupStats> {
  if (items.length !== values.length) {
    throw new ZeroshiftError('INTERNAL', `groupMetrics: ${items.length} items but ${values.length} group values`);
  }
  const byValue = new Map<string, GroupItem[]>();
  items.forEach((it, i) => {
    const list = byValue.get(values[i]) ?? [];
    list.push(it);
    byValue.set(values[i], list);
  });
  // Null prototype: group values are user data, and `out['__proto__'] = …` on {} would drop the group.
  const out: Record<string, GroupStats> = Object.create(null) as Record<string, GroupStats>;
  for (const key of [...byValue.keys()].sort()) {
    const list = byValue.get(key)!;
    const correct = list.filter((it) => it.correct).length;
    const stats: GroupStats = {
      n: list.length,
      acc1: correct / list.length,
      acc1Ci: clopperPearson(correct, list.length),
      meanPerClassRecall: balancedAccuracy(list),
    };
    if (list.every((it) => it.correct5 !== undefined)) stats.acc5 = list.filter((it) => it.correct5).length / list.length;
    out[key] = stats;
  }
  return out;
}

function balancedAccuracy(list: readonly GroupItem[]): number {
  const n = new Map<number, number>();
  const c = new Map<number, number>();
  for (const it of list) {
    n.set(it.label, (n.get(it.label) ?? 0) + 1);
    if (it.correct) c.set(it.label, (c.get(it.label) ?? 0) + 1);
  }
  let sum = 0;
  for (const [label, count] of n) sum += (c.get(label) ?? 0) / count;
  return sum / n.size;
}

/**
 * Worst and best group by `by` (acc1, or acc5 for DataComp's Dollar Street rule), as WILDS'
 * standard_group_eval takes the minimum over groups with at least one item. The
 * MISSING_GROUP is reported in `groups` but left out of worst/best: it is not a population.
 * Values in `exclude` are reported but not ranked either (DataComp's FMoW drops region
 * "Other"). Ties go to the value that sorts first. Undefined when no named group exists.
 */
export function groupSummary(groups: Record<string, GroupStats>, by: 'acc1' | 'acc5' = 'acc1', exclude: readonly string[] = []): GroupSummary | undefined {
  const named = Object.keys(groups).filter((k) => k !== MISSING_GROUP && !exclude.includes(k)).sort();
  if (named.length === 0) return undefined;
  const metric = (k: string): number => {
    const v = groups[k][by];
    if (v === undefined) throw new ZeroshiftError('INTERNAL', `groupSummary: group '${k}' has no ${by}`);
    return v;
  };
  let worst = named[0];
  let best = named[0];
  for (const k of named) {
    if (metric(k) < metric(worst)) worst = k;
    if (metric(k) > metric(best)) best = k;
  }
  const extreme = (k: string): GroupExtreme => (by === 'acc1' ? { value: k, acc1: groups[k].acc1 } : { value: k, acc1: groups[k].acc1, metric: metric(k) });
  return { by, worst: extreme(worst), best: extreme(best), gap: metric(best) - metric(worst) };
}

/**
 * Macro-averaged F1 of top-1 predictions, sklearn f1_score(average='macro') semantics:
 * per label F1 = 2·TP / (2·TP + FP + FN), 0 when the denominator is 0 (zero_division=0),
 * averaged over `labels`: 'union' (sklearn's default: every label in y_true or y_pred) or
 * 'true' (labels present in y_true only — WILDS' F1, which DataComp's iWildCam
 * "F1-macro_all" uses: f1_score(..., labels=unique(y_true))).
 */
export function macroF1(labels: ArrayLike<number>, preds: ArrayLike<number>, over: 'union' | 'true' = 'union'): number {
  if (labels.length !== preds.length) throw new ZeroshiftError('INTERNAL', `macroF1: ${labels.length} labels, ${preds.length} predictions`);
  const tp = new Map<number, number>();
  const fp = new Map<number, number>();
  const fn = new Map<number, number>();
  const inc = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  const present = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    const p = preds[i];
    present.add(y);
    if (over === 'union') present.add(p);
    if (y === p) inc(tp, y);
    else {
      inc(fp, p);
      inc(fn, y);
    }
  }
  if (present.size === 0) return NaN;
  let sum = 0;
  for (const k of present) {
    const t = tp.get(k) ?? 0;
    const d = 2 * t + (fp.get(k) ?? 0) + (fn.get(k) ?? 0);
    sum += d === 0 ? 0 : (2 * t) / d;
  }
  return sum / present.size;
}
