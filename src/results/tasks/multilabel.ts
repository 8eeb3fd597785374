import { z } from 'zod';
import { baseIndexRow, taskRecordSchema, type IndexRow } from './base.js';

/** The result record of zero-shot multi-label classification (src/tasks/multilabel.ts; CLIP_benchmark voc2007_multilabel). */
export const multilabelMetricsSchema = z.object({
  n: z.number().int(),
  /** CLIP_benchmark's `mean_average_precision`: the mean of the per-class APs. */
  meanAveragePrecision: z.number(),
  perClass: z.array(z.object({ name: z.string(), ap: z.number(), positives: z.number().int() })),
  prompts: z.object({ name: z.string(), templates: z.array(z.string()) }),
});
export type MultilabelMetrics = z.infer<typeof multilabelMetricsSchema>;

export const multilabelResultSchema = taskRecordSchema('multilabel', { multilabel: multilabelMetricsSchema });
export type MultilabelResult = z.infer<typeof multilabelResultSchema>;

/** index.csv: n and CLIP_benchmark's mean_average_precision. */
export function multilabelIndexRow(r: MultilabelResult): IndexRow {
  return { ...baseIndexRow(r), n: r.multilabel.n, mean_average_precision: r.multilabel.meanAveragePrecision };
}
