import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';

const index = z.number().int().nonnegative();

/**
 * How a dataset is scored, as data: built by the dataset families, carried by every unit and
 * recorded in every result, so merge, the gallery, compare-prompts and the report apply the
 * same rule the run applied without re-deriving it.
 *
 * Predictions are positions in the SCORED space: column j of the scores is classifier row
 * `classColumns[j]` (row j when `classColumns` is null).
 */
export const scoringProtocolSchema = z.object({
  /** Rows of the classifier's class list that are scored, in order (a class subset); null = every row. */
  classColumns: z.array(index).nullable(),
  /**
   * Per dataset label, the scored positions that count as correct (many-to-one mappings such
   * as ObjectNet's); a null entry means items of that label are not scored at all. A null table
   * means label i is correct exactly at position i.
   */
  labelColumns: z.array(z.array(index).nullable()).nullable(),
  /** Pixels cut from every edge of each decoded image before anything else (ObjectNet's 2-pixel border); null = none. */
  crop: z.object({ border: z.number().int().positive() }).nullable(),
});

export type ScoringProtocol = z.infer<typeof scoringProtocolSchema>;

/** Plain scoring: every classifier row, label i correct at position i, no pre-crop. */
export function plainProtocol(): ScoringProtocol {
  return { classColumns: null, labelColumns: null, crop: null };
}

/**
 * Scored positions that count as correct for a dataset label; null when the protocol leaves
 * the label out of every metric.
 */
export function acceptableColumns(p: ScoringProtocol, label: number): readonly number[] | null {
  if (!p.labelColumns) return [label];
  if (!Number.isInteger(label) || label < 0 || label >= p.labelColumns.length) {
    throw new ZeroshiftError('INPUT', `label ${label} is outside the scoring protocol's ${p.labelColumns.length} dataset classes`);
  }
  return p.labelColumns[label] ?? null;
}

/** Whether predicting scored position `pred` is correct for `label` under the protocol (false when the label is not scored). */
export function isCorrectPrediction(p: ScoringProtocol, label: number, pred: number): boolean {
  return acceptableColumns(p, label)?.includes(pred) ?? false;
}

/** Number of true-label classes metrics are tallied over: the dataset's own classes when labels map many-to-one, else the scored classes. */
export function labelClassCount(p: ScoringProtocol, scoredClasses: number): number {
  return p.labelColumns ? p.labelColumns.length : scoredClasses;
}
