import { unknownIdError } from '../errors.js';
import type { Result } from '../results/schema.js';
import { createRng } from '../util/rng.js';
import { effectiveRobustness, fitLogitLine, relativeRobustness, type AccuracyPoint, type AxisTransform, type LogitLine } from './effectiveRobustness.js';
import { bootstrapLines, DEFAULT_REPLICATES, erReplicates, percentileCi } from './erBootstrap.js';
import { clipBenchmarkBaseline, fileBaseline, shiftKeyOf, testbedBaseline, type BaselineSet } from './baselines.js';
import { conditionKey, conditionLabel, corruptionOf, findIdResult, isInDistribution, runLabel } from './conditions.js';
import { Registry } from '../util/registry.js';

/** Which baseline the effective-robustness line is fitted to: a registry id or a CSV path. */
export type BaselineChoice = 'own' | 'testbed' | 'clip-benchmark' | (string & {});

/** One evaluated (model, prompts) on one shifted condition, with its ID partner and ER. */
export interface RobustnessRow {
  result: Result;
  idResult: Result;
  point: AccuracyPoint;
  /** Fractions; null when no line could be fitted for this condition. */
  effectiveRobustness: number | null;
  /** 95 % bootstrap interval of the ER (baseline models and test items resampled); null without a line. */
  erCi: [number, number] | null;
  /** The bootstrap replicates behind `erCi` (one per kept baseline resample), for means over shifts. */
  erReplicates: number[];
  relativeRobustness: number | null;
  /** Why a number of this row is n/a (rendered beside it in report.html and report.md). */
  naReasons?: { er?: string; erCi?: string; relative?: string };
}

/** How effective robustness is measured: axis transform and the seeded bootstrap. */
export interface RobustnessAnalysis {
  transform: AxisTransform;
  /** Bootstrap replicates (default 1000; 0 turns the intervals off). */
  replicates: number;
  seed: number;
}

export const DEFAULT_ANALYSIS: RobustnessAnalysis = { transform: 'logit', replicates: DEFAULT_REPLICATES, seed: 0 };

/** All rows sharing one shifted condition, with the line they were measured against. */
export interface RobustnessGroup {
  key: string;
  label: string;
  /** A synthetic corruption or a published -C variant (summarised by mCE, not a natural shift). */
  isCorruption: boolean;
  rows: RobustnessRow[];
  line: LogitLine | null;
  /** Lines refitted to bootstrap resamples of the baseline models (the chart's band). */
  bootstrapLines: LogitLine[];
  /** Baseline points the line was fitted to (the rows' own points for `own`). */
  baselinePoints: AccuracyPoint[];
  baselineSource: string;
  /** Why no line was fitted, when `line` is null. */
  note?: string;
}

const BASELINES = new Registry<() => BaselineSet>('baseline')
  .register('testbed', () => testbedBaseline())
  .register('clip-benchmark', () => clipBenchmarkBaseline());

/** The shipped baseline ids plus `own` (a CSV path is accepted too). */
export function baselineIds(): string[] {
  return ['own', ...BASELINES.ids()];
}

function loadBaseline(choice: BaselineChoice): BaselineSet | null {
  if (choice === 'own') return null;
  if (BASELINES.has(choice)) return BASELINES.get(choice)();
  if (/[./\\]/.test(choice)) return fileBaseline(choice);
  // `own` is a choice too, so the list is baselineIds(), not the registry's.
  throw unknownIdError('--baseline', choice, baselineIds(), 'USAGE');
}

function toPoint(r: Result, id: Result): AccuracyPoint {
  return { model: runLabel(r), id: id.metrics.acc1, ood: r.metrics.acc1, nId: id.metrics.n, nOod: r.metrics.n };
}

/**
 * Groups every shifted result with its ID partner and measures effective robustness against
 * the chosen baseline. `reference` names a model (or `model · prompts`) for relative robustness.
 */
export function robustnessGroups(
  results: readonly Result[], baseline: BaselineChoice = 'own', reference?: string, excludeFromFit: readonly string[] = [], analysis: RobustnessAnalysis = DEFAULT_ANALYSIS,
): RobustnessGroup[] {
  const external = loadBaseline(baseline);
  const groups = new Map<string, RobustnessGroup>();
  for (const r of results) {
    if (isInDistribution(r)) continue;
    const idResult = findIdResult(r, results);
    if (!idResult) continue;
    const key = conditionKey(r);
    const g = groups.get(key) ?? { key, label: conditionLabel(r), isCorruption: corruptionOf(r) !== null, rows: [], line: null, bootstrapLines: [], baselinePoints: [], baselineSource: '' };
    g.rows.push({ result: r, idResult, point: toPoint(r, idResult), effectiveRobustness: null, erCi: null, erReplicates: [], relativeRobustness: null });
    groups.set(key, g);
  }
  for (const g of groups.values()) measureGroup(g, external, reference, excludeFromFit, analysis);
  return [...groups.values()];
}

function measureGroup(g: RobustnessGroup, external: BaselineSet | null, reference: string | undefined, excludeFromFit: readonly string[], analysis: RobustnessAnalysis): void {
  const first = g.rows[0].result;
  const shift = first.shift === null ? shiftKeyOf(first.dataset) : null;
  const externalPoints = external && shift ? external.byShift[shift] : undefined;
  if (externalPoints && externalPoints.length > 0) {
    g.baselinePoints = externalPoints;
    g.baselineSource = `${external!.source} (${shift})`;
  } else {
    // Models under study (e.g. a robustness intervention) are left out of the line they are measured against.
    g.baselinePoints = g.rows.filter((r) => !excludeFromFit.includes(r.result.model.name)).map((r) => r.point);
    const excluded = excludeFromFit.length ? `, fit without ${excludeFromFit.join(', ')}` : '';
    g.baselineSource = external ? `own models (${external.source} has no ${g.label})${excluded}` : `own models${excluded}`;
  }
  try {
    g.line = fitLogitLine(g.baselinePoints, analysis.transform);
  } catch (e) {
    g.note = (e as Error).message;
  }
  // Seeded by the condition, so a group's band and intervals do not depend on what else is in the report.
  if (g.line && analysis.replicates > 0) {
    g.bootstrapLines = bootstrapLines(g.baselinePoints, { transform: analysis.transform, replicates: analysis.replicates, seed: `${analysis.seed}|${g.key}` });
  }
  for (const row of g.rows) {
    // The reference is matched within the same prompt set unless given as `model · prompts`.
    const ref = reference
      ? g.rows.find((o) => o.point.model === reference || (o.result.model.name === reference && o.result.prompts.name === row.result.prompts.name))
      : undefined;
    row.effectiveRobustness = g.line ? effectiveRobustness(g.line, row.point) : null;
    if (g.bootstrapLines.length) {
      row.erReplicates = erReplicates(g.bootstrapLines, row.point, analysis.transform, createRng(`${analysis.seed}|${g.key}|${row.point.model}`));
      row.erCi = percentileCi([...row.erReplicates]);
    }
    row.relativeRobustness = ref ? relativeRobustness(row.point, ref.point) : null;
    row.naReasons = naReasons(g, row, reference, analysis.replicates);
  }
}

function naReasons(g: RobustnessGroup, row: RobustnessRow, reference: string | undefined, replicates: number): RobustnessRow['naReasons'] {
  const er = g.line ? undefined : g.note ?? 'no baseline line was fitted';
  const erCi = row.erCi ? undefined : er ?? (replicates === 0 ? 'no bootstrap (--bootstrap 0)' : 'no bootstrap resample of the baseline could be fitted');
  const relative = reference && row.relativeRobustness === null ? `'${reference}' has no result for ${g.label} with the same prompt set` : undefined;
  return { er, erCi, relative };
}
