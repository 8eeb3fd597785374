import { z } from 'zod';
import { modelInfoSchema, provenanceSchema, shiftInfoSchema, textShiftInfoSchema } from '../schema.js';
import { groupsSchema, groupSummariesSchema } from '../groupSchema.js';
import { executionProviderOf } from '../modelLabel.js';

/**
 * What every task result shares (results of the tasks beyond zero-shot classification):
 * versioned JSON like the classification result, with the task's own metrics in its record
 * file beside this one (one per task: retrieval.ts, multilabel.ts, …). The union over `task`
 * is results/envelope.ts.
 */
export const TASK_RESULT_VERSION = 2;

/** A 95 % interval [low, high]. */
export const ciSchema = z.tuple([z.number(), z.number()]);

/** `hits` of `n` with its Clopper–Pearson interval. */
export const countSchema = z.object({ hits: z.number().int(), n: z.number().int(), value: z.number(), ci: ciSchema });

/** A dataset as a task result records it. */
export const datasetRefSchema = z.object({
  spec: z.string(),
  name: z.string(),
  adapter: z.string(),
  fingerprint: z.string(),
  family: z.string().nullable(),
  variant: z.string().nullable(),
  isStandard: z.boolean(),
});

/** The fields every task result has before its task's metrics (in the order files have them). */
const headShape = {
  schemaVersion: z.literal(TASK_RESULT_VERSION),
  kind: z.literal('zeroshift-task-result'),
  id: z.string(),
  createdAt: z.string(),
  zeroshiftVersion: z.string(),
  command: z.array(z.string()),
  model: modelInfoSchema,
  dataset: datasetRefSchema,
  /** The corruption applied to the images, or null. */
  shift: shiftInfoSchema,
  /** The text shift of the captions (retrieval, caption selection) or the class names in the prompts; absent = none. */
  textShift: textShiftInfoSchema.optional(),
  /** The probe's training data (null for every other task). */
  trainDataset: datasetRefSchema.nullable(),
  /** --limit N: the first N items in a fixed seeded order; metrics are then partial. */
  limit: z.object({ n: z.number().int(), seed: z.number().int(), of: z.number().int() }).nullable(),
  partial: z.boolean(),
};

/** The fields every task result has after its task's metrics. */
const tailShape = {
  groups: groupsSchema.optional(),
  groupSummary: groupSummariesSchema.optional(),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  /** Images as in a classification result's timings (`imagesShared`: taken from another lane's stream, see results/schema.ts). */
  timings: z.object({ totalSeconds: z.number(), imagesComputed: z.number().int(), imagesFromCache: z.number().int(), imagesShared: z.number().int().optional(), textsComputed: z.number().int(), textsFromCache: z.number().int() }),
  provenance: provenanceSchema.optional(),
  /** Set when a later run (--skip-existing) found this result and kept it. */
  reusedAt: z.string().optional(),
  /** Set when the result was copied out of a shard directory by merge. */
  shards: z.object({ count: z.number().int(), merged: z.array(z.string()) }).optional(),
};

/** Fields every task result has. */
export const taskResultBase = z.object({ ...headShape, ...tailShape });

/**
 * One task's result record: the common fields with the task's metric fields (required; a field
 * of the common ones, such as the probe's `trainDataset`, may be narrowed) and `task: id`.
 * Zod writes keys in schema order, so the metric fields sit where files have always had them
 * (after `partial`) and `task` last: results stay byte-identical.
 */
export function taskRecordSchema<T extends string, M extends z.ZodRawShape>(task: T, metrics: M) {
  const shape = { ...headShape, ...metrics, ...tailShape, task: z.literal(task) };
  return z.object(shape as Omit<typeof headShape, keyof M> & M & typeof tailShape & { task: z.ZodLiteral<T> });
}

export type TaskResultBase = z.infer<typeof taskResultBase>;

/**
 * Version 1 (before tasks ran under shifts) had no `shift`: its images were never shifted.
 * Upgraded on read, so old directories still load, merge and report. Anything else is returned as it is.
 */
export function upgradeTaskResultV1(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && (raw as { schemaVersion?: unknown }).schemaVersion === 1 && (raw as { kind?: unknown }).kind === 'zeroshift-task-result') {
    return { ...(raw as object), schemaVersion: TASK_RESULT_VERSION, shift: null };
  }
  return raw;
}

/** An index.csv row: column → value ('' when the task has no value there). */
export type IndexRow = Record<string, string | number>;

/**
 * The index.csv columns every task result fills, in their order (CLIP_benchmark's first).
 * A task's record overrides the metric columns it has (acc1, n, …) and appends its own.
 */
export function baseIndexRow(r: TaskResultBase & { task: string }): IndexRow {
  return {
    acc1: '',
    acc5: '',
    mean_per_class_recall: '',
    dataset: r.dataset.name,
    model: r.model.name,
    dtype: r.model.dtype,
    execution_provider: executionProviderOf(r.model),
    pretrained: r.model.hashes.visionModel.slice(0, 12),
    task: r.task,
    shift: r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none',
    text_shift: r.textShift ? `${r.textShift.name}:${r.textShift.severity}` : 'none',
    prompts: '',
    n: '',
    acc1_ci_low: '',
    acc1_ci_high: '',
    ece: '',
    family: r.dataset.family ?? '',
    variant: r.dataset.variant ?? '',
    result_id: r.id,
    partial: r.partial ? 'true' : 'false',
  };
}
