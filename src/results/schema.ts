import { z } from 'zod';
import { scoringProtocolSchema } from '../datasets/scoringProtocol.js';
import { metricsSchema } from '../metrics/schema.js';

export { metricsSchema };
import { groupsSchema, groupSummariesSchema } from './groupSchema.js';

/**
 * The versioned result file: one per (model, dataset, shift, prompt set). Everything needed
 * to reproduce the number is recorded here; per-item predictions live beside it.
 * Version 2 adds the scoring protocol, the model's scoring rule and per-prediction `correct`;
 * version 1 files are still read (schemaV1.ts, upgraded by upgrade.ts).
 */
export const RESULT_SCHEMA_VERSION = 2;

export const modelInfoSchema = z.object({
  name: z.string(),
  source: z.string(),
  /** transformers.js dtype names (src/hub/dtypes.ts). */
  dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']),
  /**
   * The ONNX Runtime execution provider the towers ran on, when it is not the CPU (absent: cpu,
   * so CPU results are what they were before it was recorded). It is part of the identity:
   * ONNX Runtime's CUDA kernels give other floats than its CPU kernels (TF32 by default).
   */
  executionProvider: z.enum(['cuda']).optional(),
  textModelPath: z.string(),
  visionModelPath: z.string(),
  hashes: z.object({
    textModel: z.string(),
    visionModel: z.string(),
    tokenizer: z.string(),
    preprocessor: z.string(),
    /** config.json + open_clip_config.json + spec overrides (absent in files from before model families). */
    config: z.string().optional(),
  }),
  embedDim: z.number().int().positive(),
  logitScale: z.number(),
  contextLength: z.number().int().positive(),
  /** How the model turns cosines into probabilities (src/model/scoring.ts). */
  scoring: z.object({ rule: z.enum(['softmax', 'sigmoid']), scale: z.number(), bias: z.number() }),
  /** Detected model family (src/model/familyIds.ts). */
  family: z.string().optional(),
  /** `hf:` models: repository, revision asked for, commit sha resolved. */
  hub: z.object({ repo: z.string(), revision: z.string(), commit: z.string().regex(/^[0-9a-f]{40}$/) }).optional(),
});

export const datasetInfoSchema = z.object({
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

export const shiftInfoSchema = z
  .object({
    corruption: z.string(),
    severity: z.number().int().min(1).max(5),
    /**
     * The corruption parameter set (`--shift-params`): a published set (imagenet-c,
     * tiny-imagenet-c, cifar-10-c), scaled, or auto (per image: the published set made at its
     * size, else scaled). Absent in results written before sets existed (they used scaled).
     */
    params: z.enum(['auto', 'imagenet-c', 'tiny-imagenet-c', 'cifar-10-c', 'scaled']).optional(),
  })
  .nullable();

/**
 * The text shift (`--text-shift`, src/textShifts/) applied to the texts the model read: class
 * names inside the prompts, captions. Absent when texts were not shifted (every result written
 * before text shifts existed).
 */
export const textShiftInfoSchema = z.object({ name: z.string(), severity: z.number().int().min(1).max(5) });

export const promptInfoSchema = z.object({
  name: z.string(),
  /** Where the prompts came from: the dataset itself, a shipped set, a file, the CLI, or the fallback. */
  source: z.enum(['dataset', 'shipped', 'file', 'cli', 'default']),
  /** Empty only for a set of per-class prompts alone (classPrompts). */
  templates: z.array(z.string()),
  ensembling: z.enum(['clip', 'testbed', 'single']),
  /** sha256 of (templates, class names, rule): identifies the classifier. */
  hash: z.string(),
  /** The class names the prompts were filled with (the set's own when it has them), in classifier-row order. */
  classNames: z.array(z.string()).optional(),
  /** `--language LANG` as asked (`cn`, `en`, ...): the class names and templates are in that language; absent = not asked (English). */
  language: z.string().optional(),
  /**
   * Set when the classes had their own sentences (CuPL): how many texts in all, and the sha256
   * of the per-class lists (the set itself is named by `name`; the lists are in the hash too).
   */
  classPrompts: z.object({ texts: z.number().int().positive(), sha256: z.string() }).optional(),
}).refine((p) => p.templates.length > 0 || p.classPrompts !== undefined, { message: 'templates is empty and there are no per-class prompts', path: ['templates'] });

export const perClassSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  n: z.number().int().nonnegative(),
  correct: z.number().int().nonnegative(),
  /** null when the class has no samples. */
  accuracy: z.number().nullable(),
});

/** How a result was produced beyond what determines its numbers (absent in results written before it was recorded). */
export const provenanceSchema = z.object({
  /** The suite run (name, path as given, sha256 of the file, its CE baseline model if it names one), or null for --dataset runs. */
  suite: z.object({ name: z.string(), file: z.string(), sha256: z.string(), ceBaseline: z.string().optional() }).nullable(),
  /** The device asked for and the one used (CUDA falls back to the CPU when its provider is missing). */
  device: z.object({ requested: z.enum(['cpu', 'cuda']), used: z.enum(['cpu', 'cuda']), fallbackReason: z.string().optional() }),
  /** ONNX Runtime intra-op threads (0 = its default). */
  threads: z.number().int().nonnegative(),
  batchSize: z.number().int().positive(),
  exifRotate: z.boolean(),
  versions: z.object({ zeroshift: z.string(), node: z.string(), onnxruntime: z.string(), sharp: z.string() }),
  /** Commit of the checkout zeroshift ran from (`-dirty` with uncommitted changes); null for an installed package. */
  gitCommit: z.string().nullable(),
});

export const resultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  kind: z.literal('zeroshift-result'),
  /** Stable id of (model hashes, dataset fingerprint, shift, prompt hash). */
  id: z.string(),
  createdAt: z.string(),
  zeroshiftVersion: z.string(),
  command: z.array(z.string()),
  task: z.literal('zeroshot_classification'),
  model: modelInfoSchema,
  dataset: datasetInfoSchema,
  shift: shiftInfoSchema,
  textShift: textShiftInfoSchema.optional(),
  prompts: promptInfoSchema,
  /** The rule the items were scored by: class columns, label → acceptable columns, image pre-crop. */
  scoringProtocol: scoringProtocolSchema,
  metrics: metricsSchema,
  perClass: z.array(perClassSchema),
  /** (C, C) counts, rows = true class; null when C > 100 (rebuild it from predictions). */
  confusion: z.array(z.array(z.number().int())).nullable(),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  /**
   * Lanes that differ only in their text shift read one image stream: its first lane (the one
   * without a text shift) counts the images embedded and read from the cache, and each other lane
   * counts 0 of both and records the images it took from that stream in `imagesShared` (absent
   * otherwise), so sums over results count each image once. `imagesPerSecond` is over all three.
   */
  timings: z.object({
    totalSeconds: z.number(),
    imagesComputed: z.number().int(),
    imagesFromCache: z.number().int(),
    imagesShared: z.number().int().optional(),
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
  /**
   * Set when a later run reproduced this result (same identity, same numbers) and kept it:
   * `createdAt` and `timings` stay those of the run that computed it.
   */
  reusedAt: z.string().optional(),
  /**
   * `--limit N`: the first N items in a fixed seeded order, and how many the dataset had; the
   * metrics then describe that sample (results/partial.ts). Absent for whole datasets (and in
   * limited results written before it was recorded: their fingerprint ends in `:limit=N:seed=S`).
   */
  limit: z.object({ n: z.number().int().positive(), seed: z.number().int(), of: z.number().int().nonnegative() }).optional(),
  provenance: provenanceSchema.optional(),
  /** `--group-by FIELD`: metrics per value of a per-item metadata field (src/tasks/groupResults.ts). */
  groups: groupsSchema.optional(),
  /** Worst and best group per field, and their gap. */
  groupSummary: groupSummariesSchema.optional(),
});

export type Result = z.infer<typeof resultSchema>;
export type ModelInfoRecord = z.infer<typeof modelInfoSchema>;
export type DatasetInfo = z.infer<typeof datasetInfoSchema>;
export type PromptInfo = z.infer<typeof promptInfoSchema>;
export type { Metrics } from '../metrics/schema.js';
export type Provenance = z.infer<typeof provenanceSchema>;
export type { ScoringProtocol } from '../datasets/scoringProtocol.js';

/**
 * One line of the predictions file: the item, its dataset label, the top-5 scored positions
 * (indices into `dataset.classNames`), their probabilities under the model's scoring rule, and
 * whether the top-1 prediction is correct under the result's scoring protocol.
 */
export const predictionSchema = z.object({
  id: z.string(),
  label: z.number().int(),
  top: z.array(z.number().int()),
  scores: z.array(z.number()),
  correct: z.boolean(),
});
export type Prediction = z.infer<typeof predictionSchema>;
