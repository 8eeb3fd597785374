/**
 * Bounds on what a model's files may ask for, so a hostile or broken model fails fast with a
 * message instead of exhausting memory: the pixels of one preprocessed image, and the size of
 * each kind of file that is read whole (configs, tokenizers) or downloaded (graphs).
 * Built once at the CLI boundary from ZEROSHIFT_MAX_* variables; never read from globals below it.
 */
import { basename } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { parseByteSize } from './byteSize.js';

/** The bounds; every field has a default (DEFAULT_MODEL_LIMITS). */
export interface ModelLimits {
  /** Pixels (height × width) of a resize target or crop: 4096² by default. */
  maxInputPixels: number;
  /** Bytes of a JSON config (config.json, preprocessor_config.json, tokenizer_config.json, …). */
  maxConfigBytes: number;
  /** Bytes of a tokenizer file (tokenizer.json, vocab.json, merges.txt, *.model). */
  maxTokenizerBytes: number;
  /** Bytes of one ONNX graph or external-data file. */
  maxWeightsBytes: number;
}

/**
 * Defaults sized above every public CLIP-style model: OpenAI CLIP's tokenizer.json is 2.2 MB,
 * SigLIP 2's (Gemma's 256k vocabulary) 34 MB; configs are a few kB; the largest single weights
 * file of an ONNX export (ViT-bigG external data) is about 10 GB; the largest input 1024² pixels.
 */
export const DEFAULT_MODEL_LIMITS: ModelLimits = {
  maxInputPixels: 4096 * 4096,
  maxConfigBytes: 16 * 2 ** 20,
  maxTokenizerBytes: 128 * 2 ** 20,
  maxWeightsBytes: 64 * 2 ** 30,
};

/** The variable that raises each limit. */
export const MODEL_LIMIT_ENV: Record<keyof ModelLimits, string> = {
  maxInputPixels: 'ZEROSHIFT_MAX_INPUT_PIXELS',
  maxConfigBytes: 'ZEROSHIFT_MAX_CONFIG_BYTES',
  maxTokenizerBytes: 'ZEROSHIFT_MAX_TOKENIZER_BYTES',
  maxWeightsBytes: 'ZEROSHIFT_MAX_WEIGHTS_BYTES',
};

/**
 * The limits from ZEROSHIFT_MAX_INPUT_PIXELS (a count) and ZEROSHIFT_MAX_{CONFIG,TOKENIZER,WEIGHTS}_BYTES
 * (`64MiB`, `2GB`, or bytes); unset means the default.
 * @throws ZeroshiftError('USAGE') naming the variable when a value is not a positive size.
 */
export function modelLimitsFromEnv(env: NodeJS.ProcessEnv): ModelLimits {
  const out = { ...DEFAULT_MODEL_LIMITS };
  for (const key of Object.keys(MODEL_LIMIT_ENV) as Array<keyof ModelLimits>) {
    const name = MODEL_LIMIT_ENV[key];
    const text = env[name];
    if (text === undefined || text.trim() === '') continue;
    const value = parseByteSize(text);
    if (value === undefined) throw new ZeroshiftError('USAGE', `${name}='${text}' is not a positive ${key === 'maxInputPixels' ? 'pixel count' : 'size (e.g. 64MiB, 2GB or a number of bytes)'}`);
    out[key] = value;
  }
  return out;
}

/**
 * Which limit bounds a model file, by its name (or, with `weights`, as the external data a graph
 * references, whatever its name: `weights.bin`); undefined for files no limit applies to.
 */
export function fileSizeLimit(path: string, limits: ModelLimits = DEFAULT_MODEL_LIMITS, weights = false): { key: keyof ModelLimits; bytes: number; kind: string } | undefined {
  const name = basename(path);
  if (weights) return { key: 'maxWeightsBytes', bytes: limits.maxWeightsBytes, kind: 'graph or weights file' };
  if (/^(tokenizer\.json|vocab\.(json|txt)|merges\.txt|.*\.model)$/.test(name)) return { key: 'maxTokenizerBytes', bytes: limits.maxTokenizerBytes, kind: 'tokenizer file' };
  if (/\.json$/.test(name)) return { key: 'maxConfigBytes', bytes: limits.maxConfigBytes, kind: 'config file' };
  if (/\.onnx(_data(_\d+)?|\.data)?$/.test(name)) return { key: 'maxWeightsBytes', bytes: limits.maxWeightsBytes, kind: 'graph or weights file' };
  return undefined;
}

/**
 * Refuses a model file larger than the limit for its kind, before it is read or downloaded.
 * @throws ZeroshiftError('MODEL') naming the file, its size, the limit and how to raise it.
 */
export function checkFileSize(path: string, bytes: number, limits: ModelLimits = DEFAULT_MODEL_LIMITS, what = path, weights = false): void {
  const limit = fileSizeLimit(path, limits, weights);
  if (limit === undefined || bytes <= limit.bytes) return;
  throw new ZeroshiftError('MODEL', `${what}: ${bytes} bytes, over the ${limit.bytes}-byte limit for a ${limit.kind} (${MODEL_LIMIT_ENV[limit.key]})`, {
    hint: `a real model's ${limit.kind}s are far smaller; if this one is genuine, raise the limit, e.g. ${MODEL_LIMIT_ENV[limit.key]}=${limit.bytes * 4}`,
  });
}
