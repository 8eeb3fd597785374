/**
 * The values of a classification result that its schema's types cannot bound: fractions in
 * [0, 1], each interval around its value, and counts that add up. A result that fails is
 * refused where it is read (report, compare, merge, --skip-existing), so no table shows
 * "250.0 %" and no aggregate averages it. One check for every reader.
 */
import type { Result } from './schema.js';

/** Slack for float round trips through JSON (values are computed in float64). */
const EPS = 1e-9;

type Problem = string | null;

function fraction(key: string, v: number | undefined): Problem {
  if (v === undefined) return null;
  return v >= -EPS && v <= 1 + EPS ? null : `${key} ${v} is outside [0, 1]`;
}

function interval(key: string, v: number | undefined, ci: readonly [number, number] | undefined): Problem {
  if (v === undefined || ci === undefined) return null;
  const [low, high] = ci;
  const bad = fraction(`${key}Ci[0]`, low) ?? fraction(`${key}Ci[1]`, high);
  if (bad) return bad;
  return low <= v + EPS && v <= high + EPS ? null : `${key}Ci [${low}, ${high}] does not hold ${key} ${v} (needs low <= value <= high)`;
}

/**
 * The first value of `r` out of its range, as "key value why", or null when all hold.
 * Checked: metrics (acc1, acc5, mean per-class recall, ECE in [0, 1]; acc1Ci and acc5Ci around
 * their values), per-class counts (correct <= n, accuracy = correct / n, the n summing to
 * metrics.n, the corrects to acc1 · n) and every group's acc1 with its interval.
 */
export function resultRangeProblem(r: Result): string | null {
  const m = r.metrics;
  const checks: (() => Problem)[] = [
    () => fraction('metrics.acc1', m.acc1),
    () => fraction('metrics.acc5', m.acc5),
    () => fraction('metrics.meanPerClassRecall', m.meanPerClassRecall),
    () => fraction('metrics.ece', m.ece),
    () => interval('metrics.acc1', m.acc1, m.acc1Ci),
    () => interval('metrics.acc5', m.acc5, m.acc5Ci),
    () => perClassProblem(r),
    ...Object.entries(r.groups ?? {}).flatMap(([field, groups]) => Object.entries(groups).flatMap(([value, g]) => [
      () => fraction(`groups.${field}.${value}.acc1`, g.acc1),
      () => interval(`groups.${field}.${value}.acc1`, g.acc1, g.acc1Ci),
    ])),
  ];
  for (const check of checks) {
    const problem = check();
    if (problem) return problem;
  }
  return null;
}

function perClassProblem(r: Result): Problem {
  if (r.perClass.length === 0) return null;
  let n = 0;
  let correct = 0;
  for (const c of r.perClass) {
    if (c.correct > c.n) return `perClass[${c.index}] correct ${c.correct} is more than its n ${c.n}`;
    const acc = c.n === 0 ? null : c.correct / c.n;
    if ((acc === null) !== (c.accuracy === null) || (acc !== null && Math.abs(acc - c.accuracy!) > EPS)) {
      return `perClass[${c.index}] accuracy ${c.accuracy} is not correct / n = ${c.correct} / ${c.n}`;
    }
    n += c.n;
    correct += c.correct;
  }
  if (n !== r.metrics.n) return `perClass n sum to ${n}, but metrics.n is ${r.metrics.n}`;
  if (n > 0 && Math.abs(correct / n - r.metrics.acc1) > EPS) return `perClass correct sum to ${correct} of ${n} (${correct / n}), but metrics.acc1 is ${r.metrics.acc1}`;
  return null;
}
