import { ZeroshiftError, didYouMean, shortIdList } from '../errors.js';
import { DTYPES, type Dtype } from '../hub/dtypes.js';
import type { Result } from '../results/schema.js';

/** Which results of a directory form one side of a comparison: a model name, a dtype, a prompt set. */
export interface SideSelector {
  /** As typed, for messages and compare.json. */
  text: string;
  model: string | null;
  dtype: Dtype | null;
  /** A prompt set name (`--a-prompts`); when either side names one, units pair across prompt sets. */
  prompts?: string | null;
}

/**
 * Parses `MODEL`, `MODEL:DTYPE`, `:DTYPE` or a bare `DTYPE` (when it is a dtype name: `q8`).
 * A model name may itself contain `:`; only a known dtype after the last `:` splits it.
 * @throws ZeroshiftError USAGE on an empty selector or an unknown dtype after `:`.
 */
export function parseSelector(text: string, flag: string): SideSelector {
  const t = text.trim();
  if (t.length === 0) throw new ZeroshiftError('USAGE', `${flag} is empty; give MODEL, MODEL:DTYPE or :DTYPE (e.g. tiny-clip-shapes:q8)`);
  if ((DTYPES as readonly string[]).includes(t)) return { text: t, model: null, dtype: t as Dtype };
  const colon = t.lastIndexOf(':');
  if (colon >= 0) {
    const tail = t.slice(colon + 1);
    if ((DTYPES as readonly string[]).includes(tail)) return { text: t, model: colon > 0 ? t.slice(0, colon) : null, dtype: tail as Dtype };
    if (colon === 0) throw new ZeroshiftError('USAGE', `${flag} '${t}': unknown dtype '${tail}'${didYouMean(tail, DTYPES)}; dtypes: ${DTYPES.join(', ')}`);
  }
  return { text: t, model: t, dtype: null };
}

/** Adds a prompt-set selection (`--a-prompts SET`) to a side's selector (or makes one). */
export function withPrompts(sel: SideSelector | null, prompts: string | undefined): SideSelector | null {
  if (prompts === undefined) return sel;
  const base = sel ?? { text: '', model: null, dtype: null };
  return { ...base, text: `${base.text}${base.text ? ' ' : ''}prompts=${prompts}`, prompts };
}

/** A result and the file it was read from. */
export interface ResultEntry {
  file: string;
  result: Result;
}

/**
 * The entries a selector picks.
 * @throws ZeroshiftError USAGE naming the model or dtype that matches nothing, with what there is.
 */
export function selectEntries(entries: readonly ResultEntry[], sel: SideSelector, flag: string, where: string): ResultEntry[] {
  const models = [...new Set(entries.map((e) => e.result.model.name))];
  let out = [...entries];
  if (sel.model !== null) {
    out = out.filter((e) => e.result.model.name === sel.model);
    if (out.length === 0) throw new ZeroshiftError('USAGE', `${flag} '${sel.text}': no results of model '${sel.model}' in ${where}${didYouMean(sel.model, models)}; models there: ${shortIdList(models)}`);
  }
  if (sel.dtype !== null) {
    const dtypes = [...new Set(out.map((e) => e.result.model.dtype))];
    out = out.filter((e) => e.result.model.dtype === sel.dtype);
    if (out.length === 0) {
      const of = sel.model === null ? '' : ` of model '${sel.model}'`;
      throw new ZeroshiftError('USAGE', `${flag} '${sel.text}': no ${sel.dtype} results${of} in ${where}; dtypes there: ${shortIdList(dtypes)}`);
    }
  }
  if (sel.prompts) {
    const sets = [...new Set(out.map((e) => e.result.prompts.name))];
    const wanted = sel.prompts;
    out = out.filter((e) => e.result.prompts.name === wanted);
    if (out.length === 0) throw new ZeroshiftError('USAGE', `${flag}-prompts '${wanted}': no results with that prompt set in ${where}${didYouMean(wanted, sets)}; prompt sets there: ${shortIdList(sets)}`);
  }
  return out;
}
