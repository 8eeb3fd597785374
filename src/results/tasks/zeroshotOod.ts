import { z } from 'zod';
import { promptInfoSchema } from '../schema.js';
import { baseIndexRow, ciSchema, datasetRefSchema, taskRecordSchema, type IndexRow } from './base.js';

/**
 * The result record of zero-shot OOD detection of one (ID, OOD) pair (src/tasks/zeroshotOod.ts,
 * metrics in src/metrics/ood.ts): the lane's dataset is ID, `dataset` here the OOD set.
 */
export const oodMetricsSchema = z.object({
  /** The OOD set (shifted alike when the result has a shift). */
  dataset: datasetRefSchema,
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
  idTop1Ci: ciSchema,
  auroc: z.number(),
  /** DeLong 95 % interval; null with fewer than 2 ID or 2 OOD images. */
  aurocCi: ciSchema.nullable(),
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

export const oodResultSchema = taskRecordSchema('zeroshot_ood', { ood: oodMetricsSchema });
export type OodResult = z.infer<typeof oodResultSchema>;

/** index.csv: the ID set's top-1 as acc1, n = ID images, then the OOD metrics and set. */
export function oodIndexRow(r: OodResult): IndexRow {
  const o = r.ood;
  return {
    ...baseIndexRow(r),
    acc1: o.idTop1,
    n: o.nId,
    acc1_ci_low: o.idTop1Ci[0],
    acc1_ci_high: o.idTop1Ci[1],
    auroc: o.auroc,
    fpr95: o.fpr95,
    aupr_in: o.auprIn,
    aupr_out: o.auprOut,
    ood_score: o.score,
    ood_dataset: o.dataset.name,
  };
}
