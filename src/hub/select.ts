/**
 * Which files of a Hub repository a model needs, decided from its file list (the revision
 * API's `siblings`, or a cached snapshot's files): the configs and tokenizer files, plus the
 * ONNX graphs of ONE dtype in one layout. Never every dtype.
 */
import { ZeroshiftError } from '../errors.js';
// The one table of transformers.js dtype names and file suffixes (a leaf module: no cycle back here).
import { DTYPES, DTYPE_SUFFIX, type Dtype } from './dtypes.js';

/** Small files the model loader may read, fetched whenever the repository has them. */
export const CONFIG_FILES: readonly string[] = [
  'config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'open_clip_config.json',
  'zeroshift-model.json',
];

/** The ONNX layouts, in the order the loader prefers them. */
export type HubLayout = 'split' | 'combined' | 'root';

/** The files to fetch for one dtype. */
export interface Selection {
  layout: HubLayout;
  /** Configs first, then graphs and their external data ('/'-separated paths). */
  files: string[];
}

/** The graph files of one dtype in one layout, with their external data (`.onnx_data`, `.onnx_data_1`, …). */
function graphFiles(all: ReadonlySet<string>, graphs: string[]): string[] | undefined {
  if (!graphs.every((g) => all.has(g))) return undefined;
  // Exactly `<graph>_data`, `<graph>_data_<n>` or `<graph>.data`: a prefix match took
  // `onnx/text_model.onnx_data/../../x`, which a hostile Hub used to write outside the cache.
  const data = [...all].filter((f) => graphs.some((g) => f === `${g}.data` || (f.startsWith(`${g}_data`) && /^(_\d+)?$/.test(f.slice(g.length + 5))))).sort();
  return [...graphs, ...data];
}

function layoutFiles(all: ReadonlySet<string>, suffix: string): { layout: HubLayout; graphs: string[] } | undefined {
  const split = graphFiles(all, [`onnx/text_model${suffix}.onnx`, `onnx/vision_model${suffix}.onnx`]);
  if (split) return { layout: 'split', graphs: split };
  const combined = graphFiles(all, [`onnx/model${suffix}.onnx`]);
  if (combined) return { layout: 'combined', graphs: combined };
  const root = graphFiles(all, [`model${suffix}.onnx`]);
  if (root) return { layout: 'root', graphs: root };
  return undefined;
}

/** The dtypes whose graphs a file list holds, in DTYPES order. */
export function dtypesPresent(files: Iterable<string>): Dtype[] {
  const all = new Set(files);
  return DTYPES.filter((d) => layoutFiles(all, DTYPE_SUFFIX[d]) !== undefined);
}

/**
 * Chooses the files a model of `dtype` needs from a repository's file list. Split towers
 * are preferred, then `onnx/model.onnx`, then optimum's root `model.onnx`. SigLIP models
 * (config `model_type` siglip/siglip2) with split towers also get the combined graph when
 * present, whose `logits_per_image` carries the trained logit scale and bias.
 * @throws ZeroshiftError('MODEL') naming the dtypes present when `dtype` has no graphs.
 */
export function selectFiles(files: Iterable<string>, dtype: string, context: { ref: string; modelType?: string }): Selection {
  const all = new Set(files);
  const suffix = (DTYPE_SUFFIX as Record<string, string | undefined>)[dtype];
  if (suffix === undefined) throw new ZeroshiftError('USAGE', `unknown dtype '${dtype}'; known: ${DTYPES.join(', ')}`);
  const chosen = layoutFiles(all, suffix);
  if (!chosen) {
    const present = dtypesPresent(all);
    throw new ZeroshiftError('MODEL', `${context.ref}: no ONNX graphs for --dtype ${dtype} (looked for onnx/text_model${suffix}.onnx + onnx/vision_model${suffix}.onnx, onnx/model${suffix}.onnx, model${suffix}.onnx)`, {
      hint: present.length > 0 ? `dtypes present: ${present.join(', ')}` : 'the repository has no ONNX export; see docs/models.md for exporting one with optimum-cli',
    });
  }
  const graphs = [...chosen.graphs];
  if (chosen.layout === 'split' && /^siglip/.test(context.modelType ?? '')) graphs.push(...(graphFiles(all, [`onnx/model${suffix}.onnx`]) ?? []));
  return { layout: chosen.layout, files: [...CONFIG_FILES.filter((f) => all.has(f)), ...graphs] };
}
