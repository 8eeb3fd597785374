import { z } from 'zod';
import { keyedRecord } from '../groupSchema.js';
import { baseIndexRow, countSchema, taskRecordSchema, type IndexRow } from './base.js';

/** The result record of zero-shot retrieval (src/tasks/retrieval.ts). */

const retrievalScoresSchema = z.object({
  nImages: z.number().int(),
  nTexts: z.number().int(),
  /** `image_retrieval_recall@k` (text → image) and `text_retrieval_recall@k` (image → text), k = 1, 5, 10. */
  recall: z.record(z.string(), countSchema),
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
export type RetrievalMetrics = z.infer<typeof retrievalMetricsSchema>;

export const retrievalResultSchema = taskRecordSchema('zeroshot_retrieval', { retrieval: retrievalMetricsSchema });
export type RetrievalResult = z.infer<typeof retrievalResultSchema>;

/** index.csv: n = images, then CLIP_benchmark's recall columns and DataComp's mean_recall@1. */
export function retrievalIndexRow(r: RetrievalResult): IndexRow {
  const row: IndexRow = { ...baseIndexRow(r), n: r.retrieval.nImages };
  for (const [k, v] of Object.entries(r.retrieval.recall)) row[k] = v.value;
  row['mean_recall@1'] = r.retrieval.meanRecallAt1;
  return row;
}
