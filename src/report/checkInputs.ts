import { ZeroshiftError } from '../errors.js';
import { modelLabel } from '../results/modelLabel.js';
import type { Result } from '../results/schema.js';
import { closest } from '../util/suggest.js';
import { runLabel } from './conditions.js';
import { SHIFT_KEYS } from './baselines.js';
import type { RobustnessGroup } from './robustnessTable.js';

/** Results that passed the checks, with what was resolved on the way (shown to the user). */
export interface CheckedInputs {
  /** Indices into the loaded results that are kept (first file of each identity). */
  keep: number[];
  /** One line per resolved problem, e.g. a duplicate left out. */
  notices: string[];
}

/** What makes two results "the same measurement" to a reader of the report. */
function measurementKey(r: Result): string {
  const shift = r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none';
  const text = r.textShift ? ` + text ${r.textShift.name}:${r.textShift.severity}` : '';
  return `${modelLabel(r.model)} × ${r.dataset.name} × ${shift}${text} × ${r.prompts.name}`;
}

/**
 * Checks the results a report is built from, so that nothing is counted twice or mixed:
 * - the same result (identity) read from several files counts once: the file that sorts first
 *   is kept and the others are listed;
 * - one model × dataset × shift × prompts with results of different identity (another `n`,
 *   other images, another model file under the same name) is refused, naming the files;
 * - partial (item-range) shard results are refused: merge them first.
 * Throws INPUT naming the files.
 */
export function checkReportInputs(results: readonly Result[], files: readonly string[]): CheckedInputs {
  const notices: string[] = [];
  const byId = new Map<string, number>();
  const keep: number[] = [];
  const order = files.map((f, i) => i).sort((a, b) => files[a].localeCompare(files[b]));
  for (const i of order) {
    const r = results[i];
    if (r.range) {
      throw new ZeroshiftError('INPUT', `${files[i]}: a partial shard result (items ${r.range.start}-${r.range.end} of ${r.range.of}); a report needs whole results`, { hint: "combine the shard directories with 'zeroshift merge' and report the merged directory" });
    }
    const seen = byId.get(r.id);
    if (seen !== undefined) {
      notices.push(`${files[i]} is the same result as ${files[seen]} (id ${r.id.slice(0, 12)}); counted once (rule: the path that sorts first is kept)`);
      continue;
    }
    byId.set(r.id, i);
    keep.push(i);
  }
  const byMeasurement = new Map<string, number[]>();
  for (const i of keep) {
    const k = measurementKey(results[i]);
    byMeasurement.set(k, [...(byMeasurement.get(k) ?? []), i]);
  }
  for (const [k, idx] of byMeasurement) {
    if (idx.length < 2) continue;
    const list = idx.map((i) => `${files[i]} (n=${results[i].metrics.n}, dataset fingerprint ${results[i].dataset.fingerprint.slice(0, 12)})`).join('; ');
    const ns = new Set(idx.map((i) => results[i].metrics.n));
    throw new ZeroshiftError('INPUT', `${idx.length} different results for ${k}${ns.size > 1 ? ` with mixed n (${[...ns].join(', ')})` : ''}: ${list}`, {
      hint: 'report one of them: pass the result files or the directory of one run (directories are read without their subdirectories unless --recursive)',
    });
  }
  return { keep: keep.sort((a, b) => a - b), notices };
}

/**
 * Checks that every --reference / --fit-exclude names a model in the results (a reference may
 * also be `model · prompts`); throws USAGE with the closest name otherwise.
 */
export function checkModelNames(results: readonly Result[], flag: '--reference' | '--fit-exclude', names: readonly string[]): void {
  const models = [...new Set(results.map((r) => r.model.name))].sort();
  const labels = flag === '--reference' ? [...new Set(results.map(runLabel))] : [];
  for (const name of names) {
    if (models.includes(name) || labels.includes(name)) continue;
    const near = closest(name, [...models, ...labels]);
    throw new ZeroshiftError('USAGE', `${flag} '${name}' is not a model in these results${near ? `; did you mean '${near}'?` : ''} (models: ${shortList(models)})`);
  }
}

/** At most `max` items, then "and N more". */
export function shortList(items: readonly string[], max = 8): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * One line per reason a number in the robustness table is n/a or comes from another baseline
 * than asked, grouped so a reason shared by 70 conditions is said once: a baseline that has
 * no points for these datasets (the fit falls back to the user's own models), conditions
 * without a fitted line (with the fit's reason), and rows without the --reference model.
 */
export function robustnessNotices(groups: readonly RobustnessGroup[], baseline: string, reference?: string): string[] {
  const out: string[] = [];
  const fellBack = groups.filter((g) => baseline !== 'own' && !g.baselineSource.startsWith(`${baseline}`) && g.baselineSource.startsWith('own models'));
  if (fellBack.length > 0) {
    out.push(`--baseline ${baseline} has no points for ${fellBack.length} condition(s) (${shortList(fellBack.map((g) => g.label), 4)}); effective robustness there is fitted to the models in these results instead (it has points only for ImageNet natural shifts: ${SHIFT_KEYS.join(', ')})`);
  }
  const byNote = new Map<string, string[]>();
  for (const g of groups) if (!g.line) byNote.set(g.note ?? 'no line', [...(byNote.get(g.note ?? 'no line') ?? []), g.label]);
  for (const [note, labels] of byNote) out.push(`effective robustness is n/a for ${labels.length} condition(s) (${shortList(labels, 4)}): ${note}`);
  if (reference) {
    const missing = groups.filter((g) => g.rows.some((r) => r.relativeRobustness === null)).map((g) => g.label);
    if (missing.length > 0) out.push(`relative robustness is n/a for ${missing.length} condition(s) (${shortList(missing, 4)}): '${reference}' has no result there with the same prompt set`);
  }
  return out;
}
