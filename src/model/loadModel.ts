/** Loads a two-tower CLIP (ONNX) with its tokenizer and preprocessing, checking consistency. */
import { readFileSync } from 'node:fs';
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { hashFileCached, recordFileHashes } from './fileHashes.js';
import { DEFAULT_MODEL_DIR, resolveModelFiles, type ModelFiles, type ResolveOptions } from './modelFiles.js';
import { openTower, type OnnxTower } from './onnxTower.js';
import { inputSize, preprocessImage } from './preprocess.js';
import { readPreprocessorConfig } from './preprocessorConfig.js';
import { loadTokenizer, type ClipTokenizer } from './tokenizer.js';
import { readModelFacts, writeModelFacts, type ModelFacts } from './modelFacts.js';
import type { ClipModel, LoadModelOptions, ModelInfo, PreprocessorConfig } from './types.js';

export { DEFAULT_MODEL_DIR };

/** CLIP's fixed logit scale, used when config.json carries no trained `logit_scale`. */
const DEFAULT_LOGIT_SCALE = 100;
/** Texts per text-tower run: bounds memory for large class × template sets. */
const TEXT_BATCH = 256;

/**
 * Resolves a model reference to its files and their sha256 hashes without opening sessions
 * (hashes are memoised per file metadata, and persisted under `factsDir` when given).
 */
export async function resolveModelRef(ref?: string, options: ResolveOptions & { factsDir?: string } = {}): Promise<{ files: ModelFiles; hashes: ModelInfo['hashes'] }> {
  const files = resolveModelFiles(ref, options);
  const [textModel, visionModel, tokenizer, preprocessor] = await Promise.all(
    [files.textModel, files.visionModel, files.tokenizer, files.preprocessor].map((f) => hashFileCached(f, options.factsDir)),
  );
  return { files, hashes: { textModel: textModel!, visionModel: visionModel!, tokenizer: tokenizer!, preprocessor: preprocessor! } };
}

function readLogitScale(configFile: string): number {
  let config: { logit_scale?: unknown };
  try {
    config = JSON.parse(readFileSync(configFile, 'utf8')) as { logit_scale?: unknown };
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${configFile}: cannot read model config: ${(e as Error).message}`);
  }
  if (config.logit_scale === undefined) return DEFAULT_LOGIT_SCALE;
  if (typeof config.logit_scale !== 'number' || !(config.logit_scale > 0)) {
    throw new ZeroshiftError('MODEL', `${configFile}: logit_scale must be a positive number, found ${JSON.stringify(config.logit_scale)}`);
  }
  return config.logit_scale;
}

function checkTowers(text: OnnxTower, vision: OnnxTower, pre: PreprocessorConfig, files: ModelFiles): void {
  if (text.embedDim !== vision.embedDim) {
    throw new ZeroshiftError('MODEL', `${files.source}: embedding widths differ: ${files.textModel} gives ${text.embedDim}, ${files.visionModel} gives ${vision.embedDim}`);
  }
  const size = inputSize(pre);
  const [h, w] = [vision.inputShape[2], vision.inputShape[3]];
  if (size && typeof h === 'number' && typeof w === 'number' && (h !== size.height || w !== size.width)) {
    throw new ZeroshiftError('MODEL', `${files.visionModel}: expects ${h}x${w} pixels but ${files.preprocessor} produces ${size.height}x${size.width}`);
  }
}

/** Model input (height, width): from the preprocessor, else the tower's declared shape. */
function pixelSize(pre: PreprocessorConfig, vision: OnnxTower): { height: number; width: number } {
  const size = inputSize(pre);
  if (size) return size;
  const [h, w] = [vision.inputShape[2], vision.inputShape[3]];
  if (typeof h === 'number' && typeof w === 'number') return { height: h, width: w };
  throw new ZeroshiftError('MODEL', `${vision.path}: input size is symbolic and the preprocessor does not fix it (enable do_center_crop)`);
}

interface Towers {
  text: OnnxTower;
  vision: OnnxTower;
}

/** Opens both towers and checks them against each other and the preprocessor. */
async function openTowers(files: ModelFiles, preprocessor: PreprocessorConfig, options: LoadModelOptions): Promise<Towers> {
  const towerOptions = { device: options.device, threads: options.threads, onWarning: options.onWarning };
  const text = await openTower(files.textModel, 'text', towerOptions);
  const vision = await openTower(files.visionModel, 'vision', towerOptions).catch(async (e: unknown) => {
    await text.release();
    throw e;
  });
  try {
    checkTowers(text, vision, preprocessor, files);
  } catch (e) {
    await Promise.all([text.release(), vision.release()]);
    throw e;
  }
  return { text, vision };
}

/** Establishes the model's facts by opening everything (and records them when a cache is given). */
async function establishFacts(
  files: ModelFiles, preprocessor: PreprocessorConfig, options: LoadModelOptions, hashes: ModelInfo['hashes'],
): Promise<{ facts: ModelFacts; towers: Towers; tokenizer: ClipTokenizer }> {
  const tokenizer = loadTokenizer(files.tokenizer, files.tokenizerConfig, options.onWarning);
  const towers = await openTowers(files, preprocessor, options);
  const size = pixelSize(preprocessor, towers.vision);
  const facts: ModelFacts = { embedDim: towers.text.embedDim, contextLength: tokenizer.contextLength, ...size };
  if (options.factsDir) {
    await writeModelFacts(options.factsDir, hashes, files.dtype, facts);
    await recordFileHashes(options.factsDir, [files.textModel, files.visionModel, files.tokenizer, files.preprocessor]);
  }
  return { facts, towers, tokenizer };
}

/**
 * Loads a CLIP model: a model directory, a `zeroshift-model.json` spec, or (undefined) the
 * embedded tiny-clip-shapes. Sessions are created and checked at load, unless `factsDir`
 * holds the facts of a previous successful load of the very same files: then each tower and
 * the tokenizer are created on first use, so a run served from caches creates none.
 * @throws ZeroshiftError('MODEL') for missing files, wrong input names, mismatched sizes/widths.
 */
export async function loadModel(ref?: string, options: LoadModelOptions = {}): Promise<ClipModel> {
  const { files, hashes } = await resolveModelRef(ref, options);
  const preprocessor = readPreprocessorConfig(files.preprocessor);
  const logitScale = readLogitScale(files.config);
  const known = options.factsDir ? await readModelFacts(options.factsDir, hashes, files.dtype) : undefined;
  const eager = known ? null : await establishFacts(files, preprocessor, options, hashes);
  const facts = known ?? eager!.facts;
  let towers: Promise<Towers> | null = eager ? Promise.resolve(eager.towers) : null;
  const getTowers = (): Promise<Towers> => (towers ??= openTowers(files, preprocessor, options));
  let tokenizer: ClipTokenizer | null = eager ? eager.tokenizer : null;
  const getTokenizer = (): ClipTokenizer => (tokenizer ??= loadTokenizer(files.tokenizer, files.tokenizerConfig, options.onWarning));
  const info: ModelInfo = {
    name: files.name, source: files.source, dtype: files.dtype,
    textModelPath: files.textModel, visionModelPath: files.visionModel,
    hashes, embedDim: facts.embedDim, logitScale, contextLength: facts.contextLength,
    scoring: { rule: 'softmax', scale: logitScale, bias: 0 },
  };
  const encode = (raw: boolean) => async (texts: string[]): Promise<Float32Array> => {
    const { text } = await getTowers();
    const out = new Float32Array(texts.length * info.embedDim);
    for (let start = 0; start < texts.length; start += TEXT_BATCH) {
      const ids = getTokenizer().tokenize(texts.slice(start, start + TEXT_BATCH));
      const flat = BigInt64Array.from(ids.flat(), (v) => BigInt(v));
      const dims = [ids.length, info.contextLength];
      out.set(await (raw ? text.runRaw(flat, dims) : text.run(flat, dims)), start * info.embedDim);
    }
    return out;
  };
  return {
    info,
    preprocessor,
    tokenize: (texts) => getTokenizer().tokenize(texts),
    encodeText: encode(false),
    encodeTextRaw: encode(true),
    preprocess: (image: RawImage) => preprocessImage(image, preprocessor),
    preprocessInto: (image: RawImage, out: Float32Array, offset: number) => void preprocessImage(image, preprocessor, out, offset),
    encodePixels: async (pixels, n) => {
      if (pixels.length !== n * 3 * facts.height * facts.width) {
        throw new ZeroshiftError('INTERNAL', `encodePixels: ${pixels.length} floats is not ${n}x3x${facts.height}x${facts.width}`);
      }
      return (await getTowers()).vision.run(pixels, [n, 3, facts.height, facts.width]);
    },
    dispose: async () => {
      if (!towers) return;
      const { text, vision } = await towers;
      await Promise.all([text.release(), vision.release()]);
    },
  };
}
