import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';

const taskSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int(),
  mainMetric: z.string(),
  numClasses: z.number().int().optional(),
  randomScore: z.number().optional(),
  tags: z.array(z.string()),
  /** Dataset spec (relative paths against the list file); default: DataComp's download layout under the data directory. */
  spec: z.string().optional(),
}).strict();

export const datacompTaskListSchema = z.object({
  kind: z.literal('zeroshift-datacomp-tasklist'),
  schemaVersion: z.literal(1),
  name: z.string(),
  source: z.string(),
  mainMetrics: z.record(z.string(), z.string()),
  groupProtocols: z.record(z.string(), z.object({
    groupBy: z.string(),
    metric: z.enum(['acc1', 'acc5']),
    /** Names of the values of each sample's KEY.npy metadata vector, in order (DataComp's evaluators' _metadata_fields). */
    metadataFields: z.array(z.string()).optional(),
    /** Group values never ranked worst/best (FMoW's region "Other"). */
    exclude: z.array(z.string()).optional(),
    note: z.string().optional(),
  }).strict()),
  /** Average name → task names averaged; "Average" is every task. */
  averages: z.record(z.string(), z.union([z.array(z.string()), z.literal('all 38 tasks'), z.literal('all tasks')])),
  tasks: z.array(taskSchema).min(1),
}).strict();

export type DatacompTaskList = z.infer<typeof datacompTaskListSchema>;

/** Whether a JSON file is a task list (eval --suite runs it with the tasks runner, not as a suite). */
export function isTaskListFile(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { kind?: unknown }).kind === 'zeroshift-datacomp-tasklist';
  } catch {
    return false;
  }
}

/**
 * Averages over the tasks that have a score: each group's mean of its members present, and
 * which members are missing (DataComp's own aggregate requires all; with any missing the
 * value is partial and said so).
 */
export function partialAverages(list: DatacompTaskList, scores: ReadonlyMap<string, number>): { averages: Record<string, number | null>; missing: Record<string, string[]> } {
  const averages: Record<string, number | null> = {};
  const missing: Record<string, string[]> = {};
  for (const [group, members] of Object.entries(list.averages)) {
    const names = typeof members === 'string' ? list.tasks.map((t) => t.name) : members;
    const have = names.filter((n) => scores.has(n));
    averages[group] = have.length ? have.reduce((s, n) => s + scores.get(n)!, 0) / have.length : null;
    missing[group] = names.filter((n) => !scores.has(n));
  }
  return { averages, missing };
}

/** The shipped benchmarks/datacomp-38.json, validated. */
export function loadDatacompTaskList(file = join(PACKAGE_ROOT, 'benchmarks', 'datacomp-38.json')): DatacompTaskList {
  const parsed = datacompTaskListSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ZeroshiftError('CONFIG', `${file}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/**
 * DataComp's aggregate scores (aggregate_scores.py, restated): each group's plain mean of its
 * tasks' main metrics, "ImageNet" being ImageNet 1k alone and "Average" the mean over all 38.
 * `scores` maps task names to main-metric values; a group with a missing task is undefined
 * (DataComp requires all 38), listed in `missing`.
 */
export function datacompAverages(list: DatacompTaskList, scores: ReadonlyMap<string, number>): { averages: Record<string, number | undefined>; missing: string[] } {
  const missing = list.tasks.map((t) => t.name).filter((n) => !scores.has(n));
  const averages: Record<string, number | undefined> = {};
  for (const [group, members] of Object.entries(list.averages)) {
    const names = typeof members === 'string' ? list.tasks.map((t) => t.name) : members;
    averages[group] = names.every((n) => scores.has(n)) ? names.reduce((s, n) => s + scores.get(n)!, 0) / names.length : undefined;
  }
  return { averages, missing };
}
