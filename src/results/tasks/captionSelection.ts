import { z } from 'zod';
import { baseIndexRow, countSchema, taskRecordSchema, type IndexRow } from './base.js';

/**
 * The result record of image–caption selection (src/tasks/captionSelection.ts; CLIP_benchmark's
 * image_caption_selection, SugarCrepe, Winoground): per instance of I images and C captions,
 * image i belongs with caption i.
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

export const selectionResultSchema = taskRecordSchema('image_caption_selection', { selection: selectionMetricsSchema });
export type SelectionResult = z.infer<typeof selectionResultSchema>;

/** index.csv: n = instances, and CLIP_benchmark's image_acc, text_acc and acc. */
export function selectionIndexRow(r: SelectionResult): IndexRow {
  return { ...baseIndexRow(r), n: r.selection.n, image_acc: r.selection.imageAcc.value, text_acc: r.selection.textAcc.value, acc: r.selection.acc.value };
}
