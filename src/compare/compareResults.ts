import { ZeroshiftError } from '../errors.js';
import type { Prediction } from '../results/schema.js';
import { predictionsPath, readPredictions } from '../results/store.js';
import { VERSION } from '../util/version.js';
import { compareUnit, type UnitComparison } from './compareUnit.js';
import { PAIRED_CI_METHOD } from './pairedDifference.js';
import { pairUnits, type SideInput } from './pairUp.js';
import { COMPARE_SCHEMA_VERSION, compareSchema, type CompareReport } from './schema.js';
import type { ResultEntry } from './selector.js';

export interface CompareOptions {
  /** Confidence level of the difference intervals (default 0.95). */
  confidence?: number;
  /** Flipped items kept per direction and unit (default 12). */
  flips?: number;
  /** Classes listed per unit (default 5). */
  topClasses?: number;
  /** The command line, recorded in compare.json. */
  command?: string[];
  /** Clock for createdAt (tests fix it). */
  now?: () => Date;
}

/** A paired comparison: compare.json's report, and every flipped item of each unit (parallel to `report.units`). */
export interface CompareOutcome {
  report: CompareReport;
  flips: UnitComparison['allFlips'][];
}

/**
 * The paired comparison of two result sets (`zeroshift compare`): for every (dataset, shift,
 * prompts) unit both sides have, read both predictions files and compare them item by item.
 * The returned report is validated against compare.json's schema.
 * @throws ZeroshiftError INPUT when the sides cannot be compared (see pairUnits, compareUnit) or a
 * predictions file is missing or disagrees with its result.
 */
export async function compareResults(a: SideInput, b: SideInput, o: CompareOptions = {}): Promise<CompareOutcome> {
  const opts = { confidence: o.confidence ?? 0.95, flips: o.flips ?? 12, topClasses: o.topClasses ?? 5 };
  const paired = await pairUnits(a, b);
  const units: CompareReport['units'] = [];
  const flips: CompareOutcome['flips'] = [];
  for (const pair of paired.pairs) {
    const [pa, pb] = await Promise.all([predictionsOf(pair.a), predictionsOf(pair.b)]);
    const { allFlips, ...u } = compareUnit(pair, pa, pb, opts);
    units.push({ key: pair.key, files: { a: pair.a.file, b: pair.b.file }, resultIds: { a: pair.a.result.id, b: pair.b.result.id }, ...u });
    flips.push(allFlips);
  }
  const report = compareSchema.parse({
    schemaVersion: COMPARE_SCHEMA_VERSION, kind: 'zeroshift-compare',
    createdAt: (o.now?.() ?? new Date()).toISOString(), zeroshiftVersion: VERSION, command: o.command ?? [],
    a: sideRecord(a, paired.a), b: sideRecord(b, paired.b),
    ciMethod: PAIRED_CI_METHOD, confidence: opts.confidence, pValue: 'mcnemar-exact', flipsShown: opts.flips, topClasses: opts.topClasses,
    units, unpaired: paired.unpaired,
  });
  return { report, flips };
}

function sideRecord(s: SideInput, entries: readonly ResultEntry[]): CompareReport['a'] {
  const models = new Map<string, CompareReport['a']['models'][number]>();
  for (const e of entries) {
    const m = { name: e.result.model.name, dtype: e.result.model.dtype, ...(e.result.model.executionProvider ? { executionProvider: e.result.model.executionProvider } : {}), visionModel: e.result.model.hashes.visionModel };
    models.set(JSON.stringify(m), m);
  }
  return { paths: s.paths, selector: s.selector?.text ?? null, models: [...models.values()], prompts: [...new Set(entries.map((e) => e.result.prompts.name))].sort() };
}

/** A result's predictions, checked against its own top-1 so a stale or foreign file is not compared. */
async function predictionsOf(e: ResultEntry): Promise<Prediction[]> {
  let preds: Prediction[];
  // Outside its directory: refused by name, before any read.
  predictionsPath(e.file, e.result);
  try {
    preds = await readPredictions(e.file, e.result);
  } catch (err) {
    throw new ZeroshiftError('INPUT', `${e.file}: its predictions file ${e.result.predictionsFile} is unreadable (${(err as Error).message}); a paired comparison needs the per-item predictions`, {
      hint: 'copy the .predictions.jsonl file beside its result, or rerun `zeroshift eval`',
    });
  }
  const correct = preds.reduce((s, p) => s + Number(p.correct), 0);
  if (preds.length !== e.result.metrics.n || Math.abs(correct / Math.max(1, preds.length) - e.result.metrics.acc1) > 1e-9) {
    throw new ZeroshiftError('INPUT', `${e.file}: its predictions (${preds.length} items, top-1 ${correct}/${preds.length}) disagree with the result (n ${e.result.metrics.n}, top-1 ${e.result.metrics.acc1}); the predictions file belongs to another run`);
  }
  return preds;
}
