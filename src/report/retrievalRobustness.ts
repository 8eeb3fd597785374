import { modelLabel } from '../results/modelLabel.js';
import type { TaskResult } from '../results/envelope.js';
import { BENCHMARK_CORRUPTIONS } from './alexnetErrors.js';
import { corruptionError, relativeCorruptionError } from './corruptionErrors.js';
import { pct } from '../util/numberFormat.js';

/** One model's retrieval under ImageNet-C corruptions on one dataset (one corruption parameter set). */
export interface RetrievalCorruptionRow {
  model: string;
  dataset: string;
  /** The shift parameter set the corrupted results share (`imagenet-c`, `scaled`, …). */
  params: string;
  /** Mean R@1 (image and text R@1 averaged) of the clean result; null when absent. */
  cleanMeanR1: number | null;
  /** Benchmark corruptions evaluated at all five severities. */
  complete: string[];
  /** Mean CE over the benchmark corruptions that have one, and how many that is. */
  mce: number | null;
  relativeMce: number | null;
  counted: number;
}

type Retrieval = TaskResult & { retrieval: NonNullable<TaskResult['retrieval']> };

const errorOf = (t: Retrieval): number => 1 - t.retrieval.meanRecallAt1;
const paramsOf = (t: TaskResult): string => t.shift?.params ?? 'scaled';

/** (corruption → errors at severities 1..5) of one run, only corruptions with all five. */
function severityErrors(runs: readonly Retrieval[]): Map<string, number[]> {
  const by = new Map<string, (number | undefined)[]>();
  for (const t of runs) {
    if (!t.shift) continue;
    const row = by.get(t.shift.corruption) ?? [undefined, undefined, undefined, undefined, undefined];
    row[t.shift.severity - 1] ??= errorOf(t);
    by.set(t.shift.corruption, row);
  }
  const out = new Map<string, number[]>();
  for (const [c, row] of by) if (row.every((e) => e !== undefined)) out.set(c, row as number[]);
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * ImageNet-C's scores applied to retrieval (Qiu et al. 2022's protocol: images corrupted,
 * captions not), with the error E = 1 − mean R@1 (mean of image→text and text→image R@1, as
 * DataComp scores retrieval): CE_c = Σ_s E_{s,c} / Σ_s E^base_{s,c} over severities 1–5,
 * relative CE_c = Σ_s (E_{s,c} − E_clean) / Σ_s (E^base_{s,c} − E^base_clean), and mCE the mean
 * of CE_c over the 15 benchmark corruptions that both the model and the baseline have at all
 * five severities (`counted` says how many). No published normaliser exists for retrieval, so
 * the baseline is a model of the same report (`--ce-baseline` or a suite's `ceBaseline`) on the
 * same dataset and parameter set; without one, CE stays n/a.
 */
export function retrievalCorruptionRows(tasks: readonly TaskResult[], baseline: string | null): RetrievalCorruptionRow[] {
  // Image corruptions only: a text-shifted result is neither a clean nor a corrupted point here.
  const list = tasks.filter((t): t is Retrieval => t.retrieval !== undefined && !t.textShift);
  const runs = new Map<string, { model: string; name: string; dataset: string; params: string; clean: Retrieval | null; shifted: Retrieval[] }>();
  for (const t of list) {
    const params = t.shift ? paramsOf(t) : null;
    // A clean result belongs to every parameter set of its model and dataset.
    const keys = params !== null ? [params] : [...new Set(list.filter((x) => x.shift && x.dataset.name === t.dataset.name && modelLabel(x.model) === modelLabel(t.model)).map(paramsOf))];
    for (const p of keys) {
      const key = JSON.stringify([modelLabel(t.model), t.dataset.name, p]);
      const run = runs.get(key) ?? { model: modelLabel(t.model), name: t.model.name, dataset: t.dataset.name, params: p, clean: null, shifted: [] };
      if (t.shift) run.shifted.push(t);
      else run.clean ??= t;
      runs.set(key, run);
    }
  }
  const rows: RetrievalCorruptionRow[] = [];
  for (const run of runs.values()) {
    const errors = severityErrors(run.shifted);
    const complete = BENCHMARK_CORRUPTIONS.filter((c) => errors.has(c));
    if (complete.length === 0) continue;
    const base = baseline === null ? undefined : [...runs.values()].find((r) => r.name === baseline && r.dataset === run.dataset && r.params === run.params);
    const baseErrors = base ? severityErrors(base.shifted) : new Map<string, number[]>();
    const ces: number[] = [];
    const relatives: number[] = [];
    for (const c of complete) {
      const b = baseErrors.get(c);
      if (!b || mean(b) === 0) continue;
      ces.push(corruptionError(errors.get(c)!, mean(b)));
      if (run.clean && base?.clean) {
        const r = relativeCorruptionError(errors.get(c)!, errorOf(run.clean), mean(b), errorOf(base.clean));
        if (r !== null) relatives.push(r);
      }
    }
    rows.push({
      model: run.model, dataset: run.dataset, params: run.params, cleanMeanR1: run.clean ? run.clean.retrieval.meanRecallAt1 : null, complete,
      mce: ces.length ? mean(ces) : null, relativeMce: relatives.length === ces.length && ces.length ? mean(relatives) : null, counted: ces.length,
    });
  }
  return rows;
}

/** The report's table of retrieval mCE (report/taskSection.ts), or null when no retrieval result has a corruption at all five severities. */
export function retrievalCorruptionTable(tasks: readonly TaskResult[], baseline: string | null): { id: string; title: string; note: string; headers: string[]; rows: string[][] } | null {
  const rows = retrievalCorruptionRows(tasks, baseline);
  if (rows.length === 0) return null;
  const total = BENCHMARK_CORRUPTIONS.length;
  return {
    id: 'retrieval-corruption-errors', title: 'Retrieval corruption errors (mCE)',
    note: `ImageNet-C's CE and mCE with the error 1 − mean R@1 (image and text R@1 averaged; images corrupted, captions not, as Qiu et al. 2022): CE = the model's errors summed over severities 1–5 ÷ the baseline's, mCE = the mean CE over the benchmark corruptions both have at all five severities ("k of ${total}"). ${baseline ? `Baseline: ${baseline} on the same dataset and parameter set.` : 'No baseline model: pass --ce-baseline MODEL (or name ceBaseline in the suite) to get CE and mCE.'} Effective robustness does not apply to retrieval: it needs a baseline fit of shifted against clean scores over a testbed of models, and none is published for recall@k.`,
    headers: ['Model', 'Dataset', 'Params', 'Clean mean R@1 (%)', 'Corruptions (5 severities)', 'mCE (%)', 'Relative mCE (%)'],
    rows: rows.map((r) => [
      r.model, r.dataset, r.params, r.cleanMeanR1 === null ? '–' : pct(r.cleanMeanR1), `${r.complete.length} of ${total}`,
      r.mce === null ? '–' : `${pct(r.mce)} (${r.counted} of ${total})`, r.relativeMce === null ? '–' : pct(r.relativeMce),
    ]),
  };
}
