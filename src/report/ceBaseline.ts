import { ZeroshiftError } from '../errors.js';
import type { Result } from '../results/schema.js';
import { closest } from '../util/suggest.js';
import { shortList } from './checkInputs.js';

/** The CE baseline a report uses and where it came from. */
export interface CeBaselineChoice {
  /** Null when a suite named a model these results do not have (see `notice`). */
  model: string | null;
  /** `--ce-baseline`, or `suite 'NAME' (FILE)` that named it. */
  source: string;
  /** Why a suite's baseline is not used, for the user. */
  notice?: string;
}

/**
 * The model whose corruption errors normalise CE and mCE outside ImageNet: `--ce-baseline`
 * when given (it overrides the suites), else the `ceBaseline` the results' suites recorded in
 * their provenance (classification and task results: retrieval mCE uses it too). Null when neither names one. A suite's baseline that is not among the
 * results' models (the suite was run with other `--model`s) is dropped with a notice.
 * @throws ZeroshiftError USAGE when `--ce-baseline` is not among the results' models (naming the
 * nearest and listing them) or when the results' suites name different baselines.
 */
export function resolveCeBaseline(results: readonly Pick<Result, 'model' | 'provenance'>[], flag: string | undefined): CeBaselineChoice | null {
  let choice: CeBaselineChoice | null = flag === undefined ? null : { model: flag, source: '--ce-baseline' };
  if (!choice) {
    const named = new Map<string, string>();
    for (const r of results) {
      const s = r.provenance?.suite;
      if (s?.ceBaseline && !named.has(s.ceBaseline)) named.set(s.ceBaseline, `suite '${s.name}' (${s.file})`);
    }
    if (named.size > 1) {
      throw new ZeroshiftError('USAGE', `the results' suites name different CE baselines: ${[...named].map(([m, src]) => `'${m}' in ${src}`).join(', ')}`, { hint: 'choose one with --ce-baseline MODEL' });
    }
    const [first] = named;
    if (first) choice = { model: first[0], source: first[1] };
  }
  if (!choice) return null;
  const models = [...new Set(results.map((r) => r.model.name))].sort();
  if (choice.model !== null && !models.includes(choice.model)) {
    const near = closest(choice.model, models);
    const what = `CE baseline '${choice.model}' (from ${choice.source}) is not a model in these results${near ? `; did you mean '${near}'?` : ''} (models: ${shortList(models)})`;
    if (choice.source !== '--ce-baseline') return { model: null, source: choice.source, notice: `${what}; CE and mCE stay n/a outside ImageNet: pass --ce-baseline MODEL` };
    throw new ZeroshiftError('USAGE', what, { hint: 'report the baseline model\'s results too, or name another with --ce-baseline MODEL' });
  }
  return choice;
}
