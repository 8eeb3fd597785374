import type { Result } from '../results/schema.js';
import type { TaskResult } from '../results/taskSchema.js';
import { writeSuiteAverages, type SuiteAveragesFile } from '../results/suiteAverages.js';
import type { Suite } from './suite.js';

/** A suite's datasets as the plan resolved them: the entry's label (its `name`, else its spec) and the dataset spec it ran. */
export interface SuiteMember {
  label: string;
  spec: string;
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
 * A suite's declared means (`averages` in the suite file) per model: each the plain mean of its
 * members' main metrics on their clean (unshifted) results, over the members that have one,
 * with the members missing listed (so "mean of 6 of 7" is never shown as the mean of 7).
 * Members are the suite's dataset labels; `"all"` is every dataset of the suite. With
 * several models, each model's mean covers the datasets that model has results for.
 * @param members the suite's datasets in order, @param results and @param tasks the run's results (reused ones included)
 */
export function suiteMeans(suite: Pick<Suite, 'name' | 'averages'>, members: readonly SuiteMember[], results: readonly Result[], tasks: readonly TaskResult[], limit: { n: number; seed: number } | null): SuiteAveragesFile {
  const groups = (suite.averages ?? []).map((a): [string, 'all' | string[]] => [a.name, a.datasets]);
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
  // Clean means neither the images (--shift) nor the texts (--text-shift) were shifted.
  for (const r of results) if (r.shift === null && !r.textShift) record(r.model.name, r.dataset.spec, mainMetric({ result: r }));
  for (const t of tasks) if (t.shift === null && !t.textShift) record(t.model.name, t.dataset.spec, mainMetric({ task: t }));
  const memberLists = Object.fromEntries(groups.map(([g, list]) => [g, list === 'all' ? members.map((m) => m.label) : [...list]]));
  return {
    kind: 'zeroshift-suite-averages', schemaVersion: 1, suite: suite.name, createdAt: new Date().toISOString(), limit,
    groups: groups.map(([g]) => g),
    members: memberLists,
    metrics: Object.fromEntries(members.filter((m) => metrics.has(m.label)).map((m) => [m.label, metrics.get(m.label)!])),
    rule: 'plain mean of each member dataset\'s main metric on its clean (unshifted) result, over the members with a result',
    models: [...scores].map(([model, s]) => {
      const averages: Record<string, number | null> = {};
      const missing: Record<string, string[]> = {};
      for (const [g, names] of Object.entries(memberLists)) {
        const have = names.filter((n) => s.has(n));
        averages[g] = have.length ? have.reduce((sum, n) => sum + s.get(n)!, 0) / have.length : null;
        missing[g] = names.filter((n) => !s.has(n));
      }
      return { model, scores: Object.fromEntries(s), averages, missing };
    }),
  };
}

/**
 * Writes the suite's means beside the results (`suite-averages__<suite>.json`, which `report`
 * reads) when the suite declares some; a shard has only part of the results, so it writes none.
 */
export async function writeSuiteMeans(plan: { suite: Suite | null; shard: unknown; suiteMembers: readonly SuiteMember[] }, outcome: { results: readonly Result[]; taskResults: readonly TaskResult[] }, outDir: string, limit: { n: number; seed: number } | null): Promise<{ file: string; averages: SuiteAveragesFile } | null> {
  if (!plan.suite?.averages || plan.shard) return null;
  const averages = suiteMeans(plan.suite, plan.suiteMembers, outcome.results, outcome.taskResults, limit);
  return { file: await writeSuiteAverages(outDir, averages), averages };
}
