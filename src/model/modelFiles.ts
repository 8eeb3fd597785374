/**
 * Resolves a model reference (a HF/transformers.js model directory, a `zeroshift-model.json`
 * spec, or a directory holding one) into the concrete files a model is loaded from.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { builtinModels, resolveBuiltinModel } from './builtinModels.js';
import { ZeroshiftError } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import type { Dtype } from './types.js';

/** The embedded default model. */
export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'tiny-clip-shapes');
/** Name of the model spec file (also looked up inside a directory). */
export const SPEC_FILE_NAME = 'zeroshift-model.json';

/** Every file a model is loaded from, as absolute paths. */
export interface ModelFiles {
  name: string;
  /** The reference as the user gave it. */
  source: string;
  dtype: Dtype;
  config: string;
  preprocessor: string;
  tokenizer: string;
  tokenizerConfig: string;
  textModel: string;
  visionModel: string;
}

const specSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  base: z.string().min(1),
  textModel: z.string().min(1).optional(),
  visionModel: z.string().min(1).optional(),
});

export interface ResolveOptions {
  dtype?: Dtype;
  textModel?: string;
  visionModel?: string;
}

/** `dir/onnx/<kind>_model[_quantized].onnx` for a directory, or the sibling `_quantized` of an .onnx for q8. */
function towerPath(ref: string, kind: 'text' | 'vision', dtype: Dtype): string {
  const suffix = dtype === 'q8' ? '_quantized' : '';
  if (ref.endsWith('.onnx')) return dtype === 'q8' && !ref.endsWith('_quantized.onnx') ? ref.replace(/\.onnx$/, '_quantized.onnx') : ref;
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
      hint: '{"schemaVersion": 1, "name": "...", "base": "<model dir>", "textModel"?: "<dir or .onnx>", "visionModel"?: "<dir or .onnx>"}',
    });
  }
  return parsed.data;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Base directory and tower refs after following a spec file, if any. */
function followSpec(ref: string): { name: string; base: string; text?: string; vision?: string } {
  const specFile = isDirectory(ref) && existsSync(join(ref, SPEC_FILE_NAME)) ? join(ref, SPEC_FILE_NAME) : ref.endsWith('.json') ? ref : undefined;
  if (!specFile) return { name: basename(ref), base: ref };
  if (!existsSync(specFile)) throw new ZeroshiftError('MODEL', `${specFile}: model spec file not found`);
  const spec = readSpec(specFile);
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(dirname(specFile), p));
  return { name: spec.name, base: at(spec.base)!, text: at(spec.textModel), vision: at(spec.visionModel) };
}

/**
 * Resolves `ref` (default: the embedded tiny-clip-shapes) to model files and checks they exist.
 * @throws ZeroshiftError('MODEL') listing every missing file.
 */
export function resolveModelFiles(ref: string | undefined, options: ResolveOptions = {}): ModelFiles {
  const source = ref ?? DEFAULT_MODEL_DIR;
  const found = resolveBuiltinModel(source);
  if (found === undefined) {
    throw new ZeroshiftError('MODEL', `${source}: model not found (expected a model directory, a ${SPEC_FILE_NAME} file, or a built-in name: ${[...builtinModels().keys()].sort().join(', ')})`);
  }
  const abs = resolve(found);
  const dtype = options.dtype ?? 'fp32';
  const spec = followSpec(abs);
  if (!isDirectory(spec.base)) throw new ZeroshiftError('MODEL', `${spec.base}: model base directory not found (from ${source})`);
  const files: ModelFiles = {
    name: spec.name,
    source,
    dtype,
    config: join(spec.base, 'config.json'),
    preprocessor: join(spec.base, 'preprocessor_config.json'),
    tokenizer: join(spec.base, 'tokenizer.json'),
    tokenizerConfig: join(spec.base, 'tokenizer_config.json'),
    textModel: towerPath(resolve(options.textModel ?? spec.text ?? spec.base), 'text', dtype),
    visionModel: towerPath(resolve(options.visionModel ?? spec.vision ?? spec.base), 'vision', dtype),
  };
  const required = [files.config, files.preprocessor, files.tokenizer, files.tokenizerConfig, files.textModel, files.visionModel];
  const missing = required.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new ZeroshiftError('MODEL', `${source}: model is missing ${missing.length} file(s): ${missing.join(', ')}`, {
      hint: 'a model directory needs config.json, preprocessor_config.json, tokenizer.json, tokenizer_config.json, ' +
        `onnx/text_model.onnx and onnx/vision_model.onnx (onnx/*_model_quantized.onnx for --dtype q8)`,
    });
  }
  return files;
}
