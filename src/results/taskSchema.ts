import { z } from 'zod';
import { modelInfoSchema, promptInfoSchema, provenanceSchema, shiftInfoSchema, textShiftInfoSchema } from './schema.js';
import { groupIndexColumns, groupsSchema, groupSummariesSchema, keyedRecord } from './groupSchema.js';
import { executionProviderOf } from './modelLabel.js';
import { TASKS } from './taskIds.js';

export { groupStatsSchema, groupSummarySchema } from './groupSchema.js';

/**
 * Results of the tasks beyond zero-shot classification (zero-shot retrieval, linear probe):
 * versioned JSON like the classification result, with the task's own metrics. One file per
 * (model, dataset, task, settings) in the results directory; index.csv lists them too.
 */
export const TASK_RESULT_VERSION = 2;
export { TASKS, type TaskId } from './taskIds.js';

const ci = z.tuple([z.number(), z.number()]);

const datasetRef = z.object({
  spec: z.string(),
  name: z.string(),
  adapter: z.string(),
  fingerprint: z.string(),
  family: z.string().nullable(),
  variant: z.string().nullable(),
  isStandard: z.boolean(),
});

const recallSchema = z.object({ hits: z.number().int(), n: z.number().int(), value: z.number(), ci });

const retrievalScoresSchema = z.object({
  nImages: z.number().int(),
  nTexts: z.number().int(),
  /** `image_retrieval_recall@k` (text → image) and `text_retrieval_recall@k` (image → text), k = 1, 5, 10. */
  recall: z.record(z.string(), recallSchema),
  imageRetrievalMeanRank: z.number(),
  imageRetrievalMedianRank: z.number(),
  textRetrievalMeanRank: z.number(),
  textRetrievalMedianRank: z.number(),
  /** DataComp's retrieval main metric: ½ (image R@1 + text R@1). */
  meanRecallAt1: z.number(),
});

/**
 * Retrieval metrics, with `--group-by` the same metrics per group (`groups.<field>.<value>`):
 * the group's images as image→text queries and their captions as text→image queries, each
 * still ranked against the whole gallery.
 */
export const retrievalMetricsSchema = retrievalScoresSchema.extend({
  groups: keyedRecord(keyedRecord(retrievalScoresSchema)).optional(),
});

/** Zero-shot multi-label classification (CLIP_benchmark voc2007_multilabel). */
export const multilabelMetricsSchema = z.object({
  n: z.number().int(),
  /** CLIP_benchmark's `mean_average_precision`: the mean of the per-class APs. */
  meanAveragePrecision: z.number(),
  perClass: z.array(z.object({ name: z.string(), ap: z.number(), positives: z.number().int() })),
  prompts: z.object({ name: z.string(), templates: z.array(z.string()) }),
});
export type MultilabelMetrics = z.infer<typeof multilabelMetricsSchema>;

const countSchema = z.object({ hits: z.number().int(), n: z.number().int(), value: z.number(), ci });

/**
 * Image–caption selection (CLIP_benchmark's image_caption_selection, SugarCrepe, Winoground):
 * per instance of I images and C captions, image i belongs with caption i.
 */
export const selectionMetricsSchema = z.object({
  /** Instances scored (all of their images embedded). */
  n: z.number().int(),
  /** Every image's best caption is its own (CLIP_benchmark's text_acc). */
  textAcc: countSchema,
  /** Every caption's best image is its own, for the first min(I, C) captions (image_acc). */
  imageAcc: countSchema,
  /** Both (acc). */
  acc: countSchema,
});
export type SelectionMetrics = z.infer<typeof selectionMetricsSchema>;

export const probeMetricsSchema = z.object({
  n: z.number().int(),
  acc1: z.number(),
  acc1Ci: ci,
  acc5: z.number().optional(),
  acc5Ci: ci.optional(),
  meanPerClassRecall: z.number(),
  macroF1: z.number(),
});

export const probeInfoSchema = z.object({
  /** Chosen inverse regularisation strength. */
  c: z.number(),
  fewshotK: z.number().int().nullable(),
  seed: z.number().int(),
  nTrain: z.number().int(),
  nVal: z.number().int(),
  nFit: z.number().int(),
  sweep: z.array(z.object({ c: z.number(), valAcc1: z.number() })),
  numClasses: z.number().int(),
  classNames: z.array(z.string()),
});

/**
 * Zero-shot OOD detection of one (ID, OOD) pair (src/tasks/zeroshotOod.ts, metrics in
 * src/metrics/ood.ts): the lane's dataset is ID, `dataset` here the OOD set.
 */
export const oodMetricsSchema = z.object({
  /** The OOD set (shifted alike when the result has a shift). */
  dataset: datasetRef,
  score: z.enum(['mcm', 'maxlogit', 'energy']),
  temperature: z.number().positive(),
  /** The model's rule the scores were computed under (scale, SigLIP's sigmoid and bias). */
  scoring: z.object({ rule: z.enum(['softmax', 'sigmoid']), scale: z.number(), bias: z.number() }),
  /** The ID classifier's prompts, as a classification result records them. */
  prompts: promptInfoSchema,
  /** What --limit kept of the OOD set (null without it); absent in results written before it was recorded. */
  limit: z.object({ n: z.number().int(), seed: z.number().int(), of: z.number().int() }).nullable().optional(),
  nId: z.number().int().positive(),
  nOod: z.number().int().positive(),
  /** Zero-shot top-1 on the ID set with its Clopper–Pearson 95 % interval. */
  idTop1: z.number(),
  idTop1Ci: ci,
  auroc: z.number(),
  /** DeLong 95 % interval; null with fewer than 2 ID or 2 OOD images. */
  aurocCi: ci.nullable(),
  fpr95: z.number(),
  /** The threshold t of FPR@95: the ceil(0.95 nId)-th largest ID score. */
  fpr95Threshold: z.number(),
  auprIn: z.number(),
  auprOut: z.number(),
  /** Per-image scores (higher = in-distribution), ID then OOD in dataset order: the metrics can be recomputed from them. */
  idScores: z.array(z.number()),
  oodScores: z.array(z.number()),
});
export type OodMetricsRecord = z.infer<typeof oodMetricsSchema>;

/** Fields every task result has; each task's schema below makes its own metrics required. */
const taskResultBase = z.object({
  schemaVersion: z.literal(TASK_RESULT_VERSION),
  kind: z.literal('zeroshift-task-result'),
  id: z.string(),
  createdAt: z.string(),
  zeroshiftVersion: z.string(),
  command: z.array(z.string()),
  model: modelInfoSchema,
  dataset: datasetRef,
  /** The corruption applied to the images, or null. */
  shift: shiftInfoSchema,
  /** The text shift of the captions (retrieval, caption selection) or the class names in the prompts; absent = none. */
  textShift: textShiftInfoSchema.optional(),
  /** The probe's training data. */
  trainDataset: datasetRef.nullable(),
  /** --limit N: the first N items in a fixed seeded order; metrics are then partial. */
  limit: z.object({ n: z.number().int(), seed: z.number().int(), of: z.number().int() }).nullable(),
  partial: z.boolean(),
  retrieval: retrievalMetricsSchema.optional(),
  multilabel: multilabelMetricsSchema.optional(),
  selection: selectionMetricsSchema.optional(),
  probe: probeInfoSchema.optional(),
  ood: oodMetricsSchema.optional(),
  /** Probe scores on `dataset` (the test set or a shifted variant). */
  metrics: probeMetricsSchema.optional(),
  groups: groupsSchema.optional(),
  groupSummary: groupSummariesSchema.optional(),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  timings: z.object({ totalSeconds: z.number(), imagesComputed: z.number().int(), imagesFromCache: z.number().int(), textsComputed: z.number().int(), textsFromCache: z.number().int() }),
  provenance: provenanceSchema.optional(),
  /** Set when a later run (--skip-existing) found this result and kept it. */
  reusedAt: z.string().optional(),
  /** Set when the result was copied out of a shard directory by merge. */
  shards: z.object({ count: z.number().int(), merged: z.array(z.string()) }).optional(),
});

export const retrievalResultSchema = taskResultBase.extend({ task: z.literal('zeroshot_retrieval'), retrieval: retrievalMetricsSchema });
export const multilabelResultSchema = taskResultBase.extend({ task: z.literal('multilabel'), multilabel: multilabelMetricsSchema });
export const selectionResultSchema = taskResultBase.extend({ task: z.literal('image_caption_selection'), selection: selectionMetricsSchema });
export const probeResultSchema = taskResultBase.extend({ task: z.literal('linear_probe'), probe: probeInfoSchema, metrics: probeMetricsSchema, trainDataset: datasetRef });
export const oodResultSchema = taskResultBase.extend({ task: z.literal('zeroshot_ood'), ood: oodMetricsSchema });

/** A task result: one schema per task, told apart by `task`. */
export const taskResultSchema = z.discriminatedUnion('task', [retrievalResultSchema, multilabelResultSchema, selectionResultSchema, probeResultSchema, oodResultSchema]);

/**
 * Version 1 (before tasks ran under shifts) had no `shift`: its images were never shifted.
 * Upgraded on read, so old directories still load, merge and report.
 */
export function upgradeTaskResult(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && (raw as { schemaVersion?: unknown }).schemaVersion === 1 && (raw as { kind?: unknown }).kind === 'zeroshift-task-result') {
    return { ...(raw as object), schemaVersion: TASK_RESULT_VERSION, shift: null };
  }
  return raw;
}

export type TaskResult = z.infer<typeof taskResultSchema>;

/** index.csv rows of task results, in CLIP_benchmark's metric names where it has them. */
export function taskIndexRows(results: readonly TaskResult[]): Record<string, string | number>[] {
  return results.map((r) => {
    const row: Record<string, string | number> = {
      acc1: r.metrics?.acc1 ?? r.ood?.idTop1 ?? '',
      acc5: r.metrics?.acc5 ?? '',
      mean_per_class_recall: r.metrics?.meanPerClassRecall ?? '',
      dataset: r.dataset.name,
      model: r.model.name,
      dtype: r.model.dtype,
      execution_provider: executionProviderOf(r.model),
      pretrained: r.model.hashes.visionModel.slice(0, 12),
      task: r.task,
      shift: r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none',
      text_shift: r.textShift ? `${r.textShift.name}:${r.textShift.severity}` : 'none',
      prompts: '',
      n: r.metrics?.n ?? r.retrieval?.nImages ?? r.multilabel?.n ?? r.ood?.nId ?? '',
      acc1_ci_low: r.metrics?.acc1Ci[0] ?? r.ood?.idTop1Ci[0] ?? '',
      acc1_ci_high: r.metrics?.acc1Ci[1] ?? r.ood?.idTop1Ci[1] ?? '',
      ece: '',
      family: r.dataset.family ?? '',
      variant: r.dataset.variant ?? '',
      result_id: r.id,
      partial: r.partial ? 'true' : 'false',
    };
    if (r.retrieval) {
      for (const [k, v] of Object.entries(r.retrieval.recall)) row[k] = v.value;
      row['mean_recall@1'] = r.retrieval.meanRecallAt1;
    }
    if (r.multilabel) row.mean_average_precision = r.multilabel.meanAveragePrecision;
    if (r.selection) {
      row.image_acc = r.selection.imageAcc.value;
      row.text_acc = r.selection.textAcc.value;
      row.acc = r.selection.acc.value;
      row.n = r.selection.n;
    }
    if (r.ood) {
      row.auroc = r.ood.auroc;
      row.fpr95 = r.ood.fpr95;
      row.aupr_in = r.ood.auprIn;
      row.aupr_out = r.ood.auprOut;
      row.ood_score = r.ood.score;
      row.ood_dataset = r.ood.dataset.name;
    }
    if (r.probe) {
      row.train_dataset = r.trainDataset?.name ?? '';
      row.fewshot_k = r.probe.fewshotK ?? '';
      row.probe_c = r.probe.c;
    }
    return { ...row, ...groupIndexColumns(r.groupSummary) };
  });
}
