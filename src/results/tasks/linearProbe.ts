import { z } from 'zod';
import { baseIndexRow, ciSchema, datasetRefSchema, taskRecordSchema, type IndexRow } from './base.js';

/** The result record of the linear probe (src/tasks/linearProbe.ts): scores on `dataset` (the test set or a shifted variant). */
export const probeMetricsSchema = z.object({
  n: z.number().int(),
  acc1: z.number(),
  acc1Ci: ciSchema,
  acc5: z.number().optional(),
  acc5Ci: ciSchema.optional(),
  meanPerClassRecall: z.number(),
  macroF1: z.number(),
});
export type ProbeMetrics = z.infer<typeof probeMetricsSchema>;

/** The fitted probe. */
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

export const probeResultSchema = taskRecordSchema('linear_probe', { probe: probeInfoSchema, metrics: probeMetricsSchema, trainDataset: datasetRefSchema });
export type ProbeResult = z.infer<typeof probeResultSchema>;

/** index.csv: CLIP_benchmark's classification columns, then the train split, k and the chosen C. */
export function probeIndexRow(r: ProbeResult): IndexRow {
  const m = r.metrics;
  return {
    ...baseIndexRow(r),
    acc1: m.acc1,
    acc5: m.acc5 ?? '',
    mean_per_class_recall: m.meanPerClassRecall,
    n: m.n,
    acc1_ci_low: m.acc1Ci[0],
    acc1_ci_high: m.acc1Ci[1],
    train_dataset: r.trainDataset.name,
    fewshot_k: r.probe.fewshotK ?? '',
    probe_c: r.probe.c,
  };
}
