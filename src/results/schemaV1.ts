import { z } from 'zod';

/**
 * Version 1 of the result file, frozen as it was written: readers still accept it and
 * upgrade it to the current version (upgrade.ts). Never edit this schema; change schema.ts.
 */

const ci = z.tuple([z.number(), z.number()]);

const modelInfoV1Schema = z.object({
  name: z.string(),
  source: z.string(),
  dtype: z.enum(['fp32', 'q8']),
  textModelPath: z.string(),
  visionModelPath: z.string(),
  hashes: z.object({
    textModel: z.string(),
    visionModel: z.string(),
    tokenizer: z.string(),
    preprocessor: z.string(),
  }),
  embedDim: z.number().int().positive(),
  logitScale: z.number(),
  contextLength: z.number().int().positive(),
});

const datasetInfoV1Schema = z.object({
  spec: z.string(),
  name: z.string(),
  adapter: z.string(),
  /** Family (`shapes`, `cifar10`, `imagenet`, `mnist`) and variant (`standard`, `dark`...). */
  family: z.string().nullable(),
  variant: z.string().nullable(),
  /** True for the family's in-distribution set. */
  isStandard: z.boolean(),
  fingerprint: z.string(),
  numClasses: z.number().int().positive(),
  classNames: z.array(z.string()),
  /** Class subset restricting the classifier (e.g. `imagenet-r-200`), if any. */
  subset: z.string().nullable(),
  /** Scoring protocol note, e.g. the ObjectNet rule from imagenet-testbed. */
  protocol: z.string().nullable(),
});

const shiftInfoV1Schema = z
  .object({ corruption: z.string(), severity: z.number().int().min(1).max(5) })
  .nullable();

const promptInfoV1Schema = z.object({
  name: z.string(),
  /** Where the prompts came from: the dataset itself, a shipped set, a file, the CLI, or the fallback. */
  source: z.enum(['dataset', 'shipped', 'file', 'cli', 'default']),
  templates: z.array(z.string()).min(1),
  ensembling: z.enum(['clip', 'testbed', 'single']),
  /** sha256 of (templates, class names, rule): identifies the classifier. */
  hash: z.string(),
});

const metricsV1Schema = z.object({
  n: z.number().int().nonnegative(),
  acc1: z.number(),
  acc1Ci: ci,
  /** Omitted (not 0) when there are fewer than 5 classes. */
  acc5: z.number().optional(),
  acc5Ci: ci.optional(),
  meanPerClassRecall: z.number(),
  ece: z.number(),
});

const perClassV1Schema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  n: z.number().int().nonnegative(),
  correct: z.number().int().nonnegative(),
  /** null when the class has no samples. */
  accuracy: z.number().nullable(),
});

export const resultV1Schema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal('zeroshift-result'),
  /** Stable id of (model hashes, dataset fingerprint, shift, prompt hash). */
  id: z.string(),
  createdAt: z.string(),
  zeroshiftVersion: z.string(),
  command: z.array(z.string()),
  task: z.literal('zeroshot_classification'),
  model: modelInfoV1Schema,
  dataset: datasetInfoV1Schema,
  shift: shiftInfoV1Schema,
  prompts: promptInfoV1Schema,
  metrics: metricsV1Schema,
  perClass: z.array(perClassV1Schema),
  /** (C, C) counts, rows = true class; null when C > 100 (rebuild it from predictions). */
  confusion: z.array(z.array(z.number().int())).nullable(),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  timings: z.object({
    totalSeconds: z.number(),
    imagesComputed: z.number().int(),
    imagesFromCache: z.number().int(),
    imagesPerSecond: z.number(),
  }),
  /** File name (beside the result) of the per-item predictions, JSON lines. */
  predictionsFile: z.string(),
  /** Set when the result was produced by merging shards. */
  shards: z.object({ count: z.number().int(), merged: z.array(z.string()) }).optional(),
  /**
   * Set on a partial result of items [start, end) of a unit split across shards: `of` is the
   * dataset's item count and `unitId` the id the whole unit's result has (merge restores it).
   */
  range: z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), of: z.number().int().nonnegative(), unitId: z.string() }).optional(),
});

export type ResultV1 = z.infer<typeof resultV1Schema>;
