import type { Result } from './schema.js';
import type { TaskResult } from './envelope.js';
import type { SuiteAveragesFile } from './suiteAverages.js';

/** A suite's datasets as the plan resolved them: the entry's label (its `name`, else its spec) and the dataset spec it ran. */
export interface SuiteMember {
  label: string;
  spec: string;
}

/** A suite's declared means, as its file states them (`averages`): each a name and its member labels, or `"all"`. */
export interface SuiteMeansDeclaration {
  name: string;
  averages?: readonly { name: string; datasets: 'all' | readonly string[] }[];
}

/**
 * The main metric of one result, as CLIP_benchmark reports each task: top-1 for zero-shot
 * classification (its first prompt set), `acc` (both choices right) for image–caption
 * selection, mean R@1 for retrieval, mAP for multi-label, top-1 for the probe, AUROC for OOD.
 */
export function mainMetric(r: { result?: Result; task?: TaskResult }): { value: number; metric: string } {
  if (r.result) return { value: r.result.metrics.acc1, metric: 'top-1' };
  const t = r.task!;
  if (t.task === 'image_caption_selection') return { value: t.selection.acc.value, metric: 'acc' };
  if (t.task === 'zeroshot_retrieval') return { value: t.retrieval.meanRecallAt1, metric: 'mean R@1' };
  if (t.task === 'multilabel') return { value: t.multilabel.meanAveragePrecision, metric: 'mAP' };
  if (t.task === 'linear_probe') return { value: t.metrics.acc1, metric: 'top-1' };
  return { value: t.ood.auroc, metric: 'AUROC' };
}

/**
 * The prompt-set names of classification results in the order they first appear. A run writes
 * each unit's results in its prompt-set order, so this is the suite's order; a shard records
 * it in its manifest, so that `merge` (whose files come sorted by name) picks the same first set.
 */
export function promptOrderOf(results: readonly Pick<Result, 'prompts'>[]): string[] {
  return [...new Set(results.map((r) => r.prompts.name))];
}

/**
 * A suite's declared means (`averages` in the suite file) per model: each the plain mean of its
 * members' main metrics on their clean (unshifted) results, over the members that have one,
 * with the members missing listed (so "mean of 6 of 7" is never shown as the mean of 7).
 * Members are the suite's dataset labels; `"all"` is every dataset of the suite. With
 * several models, each model's mean covers the datasets that model has results for; models
 * are listed by name and scores in the suite's order.
 * A classification dataset counts its first prompt set: the first of `promptOrder` among its
 * results (by default the order of `results`), so a merge of shards gives the unsharded mean.
 * @param members the suite's datasets in order, @param results and @param tasks the run's results (reused ones included)
 */
export function suiteMeans(suite: SuiteMeansDeclaration, members: readonly SuiteMember[], results: readonly Result[], tasks: readonly TaskResult[], limit: { n: number; seed: number } | null, promptOrder: readonly string[] = promptOrderOf(results)): SuiteAveragesFile {
  const groups = (suite.averages ?? []).map((a): [string, 'all' | string[]] => [a.name, a.datasets === 'all' ? 'all' : [...a.datasets]]);
  const labelOf = new Map(members.map((m) => [m.spec, m.label]));
  const scores = new Map<string, Map<string, number>>();
  const metrics = new Map<string, string>();
  const record = (model: string, spec: string, m: { value: number; metric: string }): void => {
    const label = labelOf.get(spec);
    if (label === undefined) return;
    const s = scores.get(model) ?? new Map<string, number>();
    scores.set(model, s);
    // The first result of a dataset counts (its first prompt set), as DataComp's suite does.
    if (!s.has(label)) s.set(label, m.value);
    metrics.set(label, m.metric);
  };
  // Unknown names rank after the known ones; the sort is stable, so ties keep the given order.
  const rank = (r: Result): number => {
    const i = promptOrder.indexOf(r.prompts.name);
    return i < 0 ? promptOrder.length : i;
  };
  // Clean means neither the images (--shift) nor the texts (--text-shift) were shifted.
  for (const r of [...results].sort((a, b) => rank(a) - rank(b))) if (r.shift === null && !r.textShift) record(r.model.name, r.dataset.spec, mainMetric({ result: r }));
  for (const t of tasks) if (t.shift === null && !t.textShift) record(t.model.name, t.dataset.spec, mainMetric({ task: t }));
  const memberLists = Object.fromEntries(groups.map(([g, list]) => [g, list === 'all' ? members.map((m) => m.label) : [...list]]));
  return {
    kind: 'zeroshift-suite-averages', schemaVersion: 1, suite: suite.name, createdAt: new Date().toISOString(), limit,
    groups: groups.map(([g]) => g),
    members: memberLists,
    metrics: Object.fromEntries(members.filter((m) => metrics.has(m.label)).map((m) => [m.label, metrics.get(m.label)!])),
    rule: 'plain mean of each member dataset\'s main metric on its clean (unshifted) result, over the members with a result',
    // By name, as the report lists models: the file does not depend on the order results came in.
    models: [...scores].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([model, s]) => {
      const averages: Record<string, number | null> = {};
      const missing: Record<string, string[]> = {};
      for (const [g, names] of Object.entries(memberLists)) {
        const have = names.filter((n) => s.has(n));
        averages[g] = have.length ? have.reduce((sum, n) => sum + s.get(n)!, 0) / have.length : null;
        missing[g] = names.filter((n) => !s.has(n));
      }
      return { model, scores: Object.fromEntries(members.filter((m) => s.has(m.label)).map((m) => [m.label, s.get(m.label)!])), averages, missing };
    }),
  };
}
