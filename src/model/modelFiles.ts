/**
 * Resolves a model reference (a HF/transformers.js/optimum/OpenCLIP model directory, a
 * `zeroshift-model.json` spec, or a directory holding one) into the concrete files a model is
 * loaded from: split towers (`onnx/text_model.onnx` + `onnx/vision_model.onnx`) or one combined
 * graph (`onnx/model.onnx`, or optimum's `model.onnx` at the root), with external data files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { checkFileSize, DEFAULT_MODEL_LIMITS, type ModelLimits } from '../util/modelLimits.js';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { builtinModels, resolveBuiltinModel } from './builtinModels.js';
import { ZeroshiftError, didYouMean, shortIdList } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { DTYPE_SUFFIX, DTYPES, type Dtype } from '../hub/dtypes.js';
import { FAMILIES, type FamilyId } from './familyIds.js';
import { externalDataFiles } from './onnxExternalData.js';
import type { ScoringRule } from './scoring.js';

/** The embedded default model. */
export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'tiny-clip-shapes');
/** Name of the model spec file (also looked up inside a directory). */
export const SPEC_FILE_NAME = 'zeroshift-model.json';

/** What a spec may pin instead of letting the loader infer it. */
export interface ModelOverrides {
  family?: FamilyId;
  textOutput?: string;
  visionOutput?: string;
  textInput?: string;
  visionInput?: string;
  scoring?: ScoringRule;
}

/** Every file a model is loaded from, as absolute paths. */
export interface ModelFiles {
  name: string;
  /** The reference as the user gave it. */
  source: string;
  dtype: Dtype;
  /** Directory holding the configs. */
  base: string;
  /** config.json (optional when open_clip_config.json is there). */
  config: string;
  /** preprocessor_config.json, or open_clip_config.json when only that exists. */
  preprocessor: string;
  tokenizer: string;
  tokenizerConfig: string;
  /** special_tokens_map.json when present (part of the tokenizer's identity). */
  specialTokens?: string;
  /** open_clip_config.json when present (preprocess_cfg, context length). */
  openClipConfig?: string;
  /** `split`: two towers; `combined`: one graph with both inputs (textModel = visionModel). */
  layout: 'split' | 'combined';
  textModel: string;
  visionModel: string;
  /** A combined graph next to split towers (SigLIP: its logits_per_image carries scale and bias). */
  combinedModel?: string;
  /** External-data files each graph references (any name: `model.onnx_data`, `weights.bin`), keyed by graph path. */
  externalData: Record<string, string[]>;
  overrides: ModelOverrides;
}

const scoringSchema = z.object({ rule: z.enum(['softmax', 'sigmoid']), scale: z.number().positive(), bias: z.number() });
const specSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  base: z.string().min(1),
  textModel: z.string().min(1).optional(),
  visionModel: z.string().min(1).optional(),
  family: z.enum(FAMILIES).optional(),
  textOutput: z.string().min(1).optional(),
  visionOutput: z.string().min(1).optional(),
  textInput: z.string().min(1).optional(),
  visionInput: z.string().min(1).optional(),
  scoring: scoringSchema.optional(),
}).strict();

export interface ResolveOptions {
  dtype?: Dtype;
  textModel?: string;
  visionModel?: string;
}

/** The graph for `dtype`: `x.onnx` → `x<suffix>.onnx` for a file, `dir/onnx/<kind>_model<suffix>.onnx` for a directory. */
function towerPath(ref: string, kind: 'text' | 'vision', dtype: Dtype): string {
  const suffix = DTYPE_SUFFIX[dtype];
  if (ref.endsWith('.onnx')) return suffix && !ref.endsWith(`${suffix}.onnx`) ? ref.replace(/\.onnx$/, `${suffix}.onnx`) : ref;
  return join(ref, 'onnx', `${kind}_model${suffix}.onnx`);
}

function readSpec(file: string): z.infer<typeof specSchema> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${file}: cannot read model spec: ${(e as Error).message}`);
  }
  const parsed = specSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `key '${i.path.join('.') || '(root)'}': ${i.message}`).join('; ');
    throw new ZeroshiftError('MODEL', `${file}: invalid model spec: ${detail}`, {
      hint: '{"schemaVersion": 1, "name": "...", "base": "<model dir>", "textModel"?, "visionModel"?, "family"?, ' +
        '"textOutput"?, "visionOutput"?, "textInput"?, "visionInput"?, "scoring"?: {"rule", "scale", "bias"}} (docs/models.md)',
    });
  }
  return parsed.data;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

interface Followed { name: string; base: string; text?: string; vision?: string; overrides: ModelOverrides }

/** Base directory, tower refs and overrides after following a spec file, if any. */
function followSpec(ref: string): Followed {
  const specFile = isDirectory(ref) && existsSync(join(ref, SPEC_FILE_NAME)) ? join(ref, SPEC_FILE_NAME) : ref.endsWith('.json') ? ref : undefined;
  if (!specFile) return { name: basename(ref), base: ref, overrides: {} };
  if (!existsSync(specFile)) throw new ZeroshiftError('MODEL', `${specFile}: model spec file not found`);
  const spec = readSpec(specFile);
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(dirname(specFile), p));
  const { family, textOutput, visionOutput, textInput, visionInput, scoring } = spec;
  const overrides = Object.fromEntries(Object.entries({ family, textOutput, visionOutput, textInput, visionInput, scoring }).filter(([, v]) => v !== undefined));
  return { name: spec.name, base: at(spec.base)!, text: at(spec.textModel), vision: at(spec.visionModel), overrides };
}


/**
 * Every dtype this model reference can load: both of its graphs exist when resolved exactly as a
 * load resolves them (a spec's own tower paths included), for "missing file" messages. A dtype
 * with only one tower present, or present only in a spec's base while the spec names its own
 * vision graph, is not listed: it cannot load.
 */
function dtypesLoadable(spec: Followed, options: ResolveOptions): Dtype[] {
  return DTYPES.filter((d) => {
    const g = graphs(spec, options, d);
    return existsSync(g.textModel) && existsSync(g.visionModel);
  });
}

/** The combined graph for `dtype` in `base` (under onnx/ first, then optimum's root file). */
function combinedIn(base: string, dtype: Dtype): string | undefined {
  const name = `model${DTYPE_SUFFIX[dtype]}.onnx`;
  return [join(base, 'onnx', name), join(base, name)].find((f) => existsSync(f));
}

function graphs(spec: Followed, options: ResolveOptions, dtype: Dtype): Pick<ModelFiles, 'layout' | 'textModel' | 'visionModel' | 'combinedModel'> {
  const textRef = options.textModel ?? spec.text;
  const visionRef = options.visionModel ?? spec.vision;
  const text = towerPath(resolve(textRef ?? spec.base), 'text', dtype);
  const vision = towerPath(resolve(visionRef ?? spec.base), 'vision', dtype);
  const combined = combinedIn(spec.base, dtype);
  const splitGiven = textRef !== undefined || visionRef !== undefined || (existsSync(text) && existsSync(vision));
  if (splitGiven || !combined) return { layout: 'split', textModel: text, visionModel: vision, ...(combined ? { combinedModel: combined } : {}) };
  return { layout: 'combined', textModel: combined, visionModel: combined, combinedModel: combined };
}

/**
 * Resolves `ref` (default: the embedded tiny-clip-shapes) to model files and checks they exist.
 * @throws ZeroshiftError('MODEL') listing every missing file (and the dtypes present when a graph is missing).
 */
export function resolveModelFiles(ref: string | undefined, options: ResolveOptions = {}): ModelFiles {
  const source = ref ?? DEFAULT_MODEL_DIR;
  const found = resolveBuiltinModel(source);
  if (found === undefined) {
    // `owner/name` that is no local path reads as a Hugging Face Hub id, which takes the hf: prefix.
    const hub = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(source) ? `; did you mean 'hf:${source}' (a Hugging Face Hub model)?` : '';
    throw new ZeroshiftError('MODEL', `${source}: model not found${hub || didYouMean(source, [...builtinModels().keys()])} (expected a model directory, a ${SPEC_FILE_NAME} file, hf:owner/name, or a built-in name: ${shortIdList([...builtinModels().keys()])})`, {
      ...(hub ? { hint: `--model hf:${source} loads it from the Hugging Face Hub (see docs/hub.md)` } : {}),
    });
  }
  const dtype = options.dtype ?? 'fp32';
  const spec = followSpec(resolve(found));
  if (!isDirectory(spec.base)) throw new ZeroshiftError('MODEL', `${spec.base}: model base directory not found (from ${source})`);
  const at = (f: string): string | undefined => (existsSync(join(spec.base, f)) ? join(spec.base, f) : undefined);
  const openClipConfig = at('open_clip_config.json');
  const specialTokens = at('special_tokens_map.json');
  const g = graphs(spec, options, dtype);
  const files: ModelFiles = {
    name: spec.name, source, dtype, base: spec.base,
    config: join(spec.base, 'config.json'),
    preprocessor: at('preprocessor_config.json') ?? openClipConfig ?? join(spec.base, 'preprocessor_config.json'),
    tokenizer: join(spec.base, 'tokenizer.json'),
    tokenizerConfig: join(spec.base, 'tokenizer_config.json'),
    ...(specialTokens ? { specialTokens } : {}),
    ...(openClipConfig ? { openClipConfig } : {}),
    ...g,
    externalData: {},
    overrides: spec.overrides,
  };
  const required = [...new Set([...(openClipConfig ? [] : [files.config]), files.preprocessor, files.tokenizer, files.tokenizerConfig, files.textModel, files.visionModel])];
  const missing = required.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    const graphMissing = missing.some((f) => f.endsWith('.onnx'));
    const present = graphMissing ? dtypesLoadable(spec, options) : [];
    const dtypes = graphMissing ? ` (dtypes present: ${present.length ? present.join(', ') : 'none'})` : '';
    throw new ZeroshiftError('MODEL', `${source}: model is missing ${missing.length} file(s): ${missing.join(', ')}${dtypes}`, {
      hint: 'a model directory needs config.json, preprocessor_config.json (or open_clip_config.json), tokenizer.json, tokenizer_config.json ' +
        `and either onnx/text_model.onnx + onnx/vision_model.onnx or one combined onnx/model.onnx (or model.onnx); --dtype picks the suffix (${DTYPES.map((d) => `${d}: '${DTYPE_SUFFIX[d]}'`).join(', ')})`,
    });
  }
  const notFiles = required.filter((f) => !statSync(f).isFile());
  if (notFiles.length > 0) {
    throw new ZeroshiftError('MODEL', `${source}: model file(s) that are not regular files: ${notFiles.join(', ')}`, {
      hint: 'each of these must be a file (a directory or device of that name is in the way): replace it with the file from the model export',
    });
  }
  // Read from the graphs themselves once they are known to be files: ORT loads whatever they name.
  const graphFiles = [...new Set([g.textModel, g.visionModel, g.combinedModel].filter((p): p is string => !!p && existsSync(p)))];
  files.externalData = Object.fromEntries(graphFiles.map((p) => [p, externalDataFiles(p)]));
  return files;
}

/**
 * Refuses a model whose config, tokenizer or graph files are over the size limit of their kind
 * (util/modelLimits.ts), from their sizes on disk, before any is read.
 * @throws ZeroshiftError('MODEL') naming the file, its size and the limit.
 */
export function checkModelFileSizes(files: ModelFiles, limits: ModelLimits = DEFAULT_MODEL_LIMITS): void {
  const weights = new Set(Object.values(files.externalData).flat());
  const all = [files.config, files.preprocessor, files.tokenizer, files.tokenizerConfig, files.specialTokens, files.openClipConfig, files.textModel, files.visionModel, files.combinedModel, ...weights];
  for (const file of new Set(all)) {
    if (file === undefined) continue;
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      continue; // a missing optional file is reported where it is needed
    }
    // External data is weights whatever its name (`weights.bin`).
    checkFileSize(file, size, limits, file, weights.has(file));
  }
}
