import { ZeroshiftError, didYouMean, shortIdList } from '../errors.js';
import { DTYPES, type Dtype } from '../hub/dtypes.js';
import type { Result } from '../results/schema.js';
import { executionProviderOf } from '../results/modelLabel.js';

/** The execution providers a result can record (the CPU records none). */
export const PROVIDERS = ['cpu', 'cuda'] as const;
export type ProviderChoice = (typeof PROVIDERS)[number];

/** Which results of a directory form one side of a comparison: a model name, a dtype, an execution provider, a prompt set. */
export interface SideSelector {
  /** As typed, for messages and compare.json. */
  text: string;
  model: string | null;
  dtype: Dtype | null;
  /** `cpu` or `cuda` (absent: any), so CPU and CUDA runs of one model in one directory can be told apart. */
  provider?: ProviderChoice | null;
  /** A prompt set name (`--a-prompts`); when either side names one, units pair across prompt sets. */
  prompts?: string | null;
}

/**
 * Parses `MODEL[:DTYPE][:PROVIDER]`, `:DTYPE`, `:PROVIDER`, `:DTYPE:PROVIDER`, or a bare dtype
 * or provider name (`q8`, `cuda`). A model name may itself contain `:`; only a known provider,
 * then a known dtype, at the end splits it.
 * @throws ZeroshiftError USAGE on an empty selector or an unknown dtype or provider after a leading `:`.
 */
export function parseSelector(text: string, flag: string): SideSelector {
  const t = text.trim();
  if (t.length === 0) throw new ZeroshiftError('USAGE', `${flag} is empty; give MODEL, MODEL:DTYPE, MODEL:DTYPE:PROVIDER or :DTYPE (e.g. tiny-clip-shapes:q8, tiny-clip-shapes:fp32:cuda)`);
  let rest = t;
  let provider: ProviderChoice | null = null;
  let dtype: Dtype | null = null;
  const tail = (s: string): string => s.slice(s.lastIndexOf(':') + 1);
  if ((PROVIDERS as readonly string[]).includes(tail(rest))) {
    provider = tail(rest) as ProviderChoice;
    rest = rest.slice(0, Math.max(0, rest.lastIndexOf(':')));
  }
  if ((DTYPES as readonly string[]).includes(tail(rest))) {
    dtype = tail(rest) as Dtype;
    rest = rest.slice(0, Math.max(0, rest.lastIndexOf(':')));
  }
  if (rest.startsWith(':') && rest.lastIndexOf(':') === 0) {
    const bad = rest.slice(1);
    const choices = [...DTYPES, ...PROVIDERS];
    throw new ZeroshiftError('USAGE', `${flag} '${t}': unknown dtype or execution provider '${bad}'${didYouMean(bad, choices)}; dtypes: ${DTYPES.join(', ')}; providers: ${PROVIDERS.join(', ')}`);
  }
  return { text: t, model: rest.length > 0 ? rest : null, dtype, ...(provider ? { provider } : {}) };
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
 * @throws ZeroshiftError USAGE naming the model, dtype or provider that matches nothing, with what there is.
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
  if (sel.provider) {
    const providers = [...new Set(out.map((e) => executionProviderOf(e.result.model)))];
    out = out.filter((e) => executionProviderOf(e.result.model) === sel.provider);
    if (out.length === 0) throw new ZeroshiftError('USAGE', `${flag} '${sel.text}': no ${sel.provider} results in ${where} among those selected; providers there: ${shortIdList(providers)}`);
  }
  if (sel.prompts) {
    const sets = [...new Set(out.map((e) => e.result.prompts.name))];
    const wanted = sel.prompts;
    out = out.filter((e) => e.result.prompts.name === wanted);
    if (out.length === 0) throw new ZeroshiftError('USAGE', `${flag}-prompts '${wanted}': no results with that prompt set in ${where}${didYouMean(wanted, sets)}; prompt sets there: ${shortIdList(sets)}`);
  }
  return out;
}
