import { ZeroshiftError } from '../errors.js';
import { families } from '../datasets/families.js';
import { listCorruptions } from '../shifts/registry.js';

/**
 * Most units one suite may plan. Real suites are far below it (DataComp's 38 datasets × 50
 * models is 1,900; ImageNet-C's 15 corruptions × 5 severities × 100 models is 7,600 + 100); a
 * suite that plans more is a mistake that would take hours to build and forever to run.
 */
export const DEFAULT_MAX_SUITE_UNITS = 100_000;

/** The unit limit from `ZEROSHIFT_MAX_UNITS` (unset: the default); USAGE when it is not a positive integer. */
export function suiteUnitLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_SUITE_UNITS;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new ZeroshiftError('USAGE', `ZEROSHIFT_MAX_UNITS='${value}' is not a positive integer`);
  return n;
}

interface SuiteShape {
  models: readonly string[];
  datasets: readonly ({ spec: string } | { family: string; variants?: readonly string[] })[];
  shifts?: { corruptions: 'all' | readonly string[]; severities: readonly number[] };
}

/**
 * The units a suite plans at most: models × dataset targets × (1 + corruptions × severities),
 * counted from the list lengths alone (a family without `variants` counts all its variants,
 * and every target as shifted), so a huge suite is refused in microseconds, before any list
 * is expanded.
 */
export function suiteUnitBound(suite: SuiteShape): { units: number; models: number; targets: number; shifts: number } {
  const targets = suite.datasets.reduce((n, d) => n + ('spec' in d ? 1 : (d.variants?.length ?? (families.has(d.family) ? families.get(d.family).variants.length : 1))), 0);
  const corruptions = suite.shifts ? (suite.shifts.corruptions === 'all' ? listCorruptions().length : suite.shifts.corruptions.length) : 0;
  const shifts = suite.shifts ? corruptions * suite.shifts.severities.length : 0;
  const models = suite.models.length;
  return { units: models * targets * (1 + shifts), models, targets, shifts };
}

/** Throws CONFIG naming the file, the count, the limit and how to raise it when a suite plans too many units. */
export function checkUnitBound(suite: SuiteShape, file: string, max: number): void {
  const b = suiteUnitBound(suite);
  if (b.units <= max) return;
  throw new ZeroshiftError('CONFIG', `${file}: plans up to ${b.units} units (${b.models} model(s) × ${b.targets} dataset target(s) × (1 + ${b.shifts} shift(s))), over the limit of ${max} units (ZEROSHIFT_MAX_UNITS)`, {
    hint: 'split the suite, or raise the limit with ZEROSHIFT_MAX_UNITS=N if it is meant to be this large',
  });
}
