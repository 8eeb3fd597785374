import type { Result } from '../../src/results/schema.js';
import { syntheticResults } from './syntheticResults.js';

/** Overrides of one test result: model, prompts, dataset family/variant, shift, top-1 and n. */
export interface ResultOverrides {
  model?: string;
  prompts?: string;
  family?: string | null;
  variant?: string;
  isStandard?: boolean;
  shift?: { corruption: string; severity: number } | null;
  acc1?: number;
  n?: number;
}

let counter = 0;
let template: Result | undefined;

/**
 * A schema-valid result built from the synthetic report fixture with the given fields replaced,
 * so unit tests can state exactly the accuracies they compute by hand.
 */
export function makeResult(o: ResultOverrides): Result {
  template ??= syntheticResults(1, 8)[0].result;
  const base = structuredClone(template);
  const variant = o.variant ?? 'standard';
  base.id = `r${++counter}`;
  base.model.name = o.model ?? 'm';
  base.prompts.name = o.prompts ?? 'p';
  base.dataset.family = o.family === undefined ? 'shapes' : o.family;
  base.dataset.variant = variant;
  base.dataset.name = `${base.dataset.family ?? 'data'}-${variant}`;
  base.dataset.isStandard = o.isStandard ?? variant === 'standard';
  base.shift = o.shift ?? null;
  base.metrics.acc1 = o.acc1 ?? 0.5;
  base.metrics.n = o.n ?? 1000;
  consistentCounts(base);
  return base;
}

/**
 * Makes the interval and per-class counts agree with `acc1` and `n` (results are checked on
 * read: src/results/valueRanges.ts): the interval is acc1 ± 0.05 within [0, 1], and the n items
 * and round(acc1 · n) correct ones are spread over the classes as evenly as they go.
 */
function consistentCounts(r: Result): void {
  const { acc1, n } = r.metrics;
  r.metrics.acc1Ci = [Math.max(0, acc1 - 0.05), Math.min(1, acc1 + 0.05)];
  const classes = r.perClass.length;
  let correctLeft = Math.round(acc1 * n);
  r.perClass = r.perClass.map((c, k) => {
    const size = Math.floor(n / classes) + (k < n % classes ? 1 : 0);
    const correct = Math.min(size, correctLeft);
    correctLeft -= correct;
    return { ...c, n: size, correct, accuracy: size === 0 ? null : correct / size };
  });
}
