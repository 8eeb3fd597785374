/**
 * Decides whether predicted class `pred` is correct for sample `i`. The default is
 * `pred === labels[i]`; datasets scored with several acceptable classes per item (the
 * ObjectNet rule of imagenet-testbed) pass their own rule.
 */
export type IsCorrect = (pred: number, i: number) => boolean;

/** The default rule: the prediction equals the label. */
export function labelRule(labels: Int32Array): IsCorrect {
  return (pred, i) => pred === labels[i];
}

/** A rule from per-sample sets of acceptable class indices (`sets[i]` for sample i). */
export function acceptableSetsRule(sets: ReadonlyArray<ReadonlySet<number> | readonly number[]>): IsCorrect {
  const asSets = sets.map((s) => (s instanceof Set ? s : new Set(s as readonly number[])));
  return (pred, i) => asSets[i].has(pred);
}
