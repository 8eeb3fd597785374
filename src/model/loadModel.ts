/** Loads a two-tower CLIP (ONNX) with its tokenizer and preprocessing, checking consistency. */
import { readFileSync } from 'node:fs';
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { hashFileCached } from './fileHashes.js';
import { DEFAULT_MODEL_DIR, resolveModelFiles, type ModelFiles, type ResolveOptions } from './modelFiles.js';
import { openTower, type OnnxTower } from './onnxTower.js';
import { inputSize, preprocessImage } from './preprocess.js';
import { readPreprocessorConfig } from './preprocessorConfig.js';
import { loadTokenizer } from './tokenizer.js';
import type { ClipModel, LoadModelOptions, ModelInfo, PreprocessorConfig } from './types.js';

export { DEFAULT_MODEL_DIR };

/** CLIP's fixed logit scale, used when config.json carries no trained `logit_scale`. */
const DEFAULT_LOGIT_SCALE = 100;
/** Texts per text-tower run: bounds memory for large class × template sets. */
const TEXT_BATCH = 256;

/**
 * Resolves a model reference to its files and their sha256 hashes without opening sessions
 * (hashes are memoised per path, size and mtime).
 */
export async function resolveModelRef(ref?: string, options: ResolveOptions = {}): Promise<{ files: ModelFiles; hashes: ModelInfo['hashes'] }> {
  const files = resolveModelFiles(ref, options);
  const [textModel, visionModel, tokenizer, preprocessor] = await Promise.all(
    [files.textModel, files.visionModel, files.tokenizer, files.preprocessor].map(hashFileCached),
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

/**
 * Loads a CLIP model: a model directory, a `zeroshift-model.json` spec, or (undefined) the
 * embedded tiny-clip-shapes.
 * @throws ZeroshiftError('MODEL') for missing files, wrong input names, mismatched sizes/widths.
 */
export async function loadModel(ref?: string, options: LoadModelOptions = {}): Promise<ClipModel> {
  const { files, hashes } = await resolveModelRef(ref, options);
  const preprocessor = readPreprocessorConfig(files.preprocessor);
  const tokenizer = loadTokenizer(files.tokenizer, files.tokenizerConfig, options.onWarning);
  const logitScale = readLogitScale(files.config);
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
  const size = pixelSize(preprocessor, vision);
  const info: ModelInfo = {
    name: files.name, source: files.source, dtype: files.dtype,
    textModelPath: files.textModel, visionModelPath: files.visionModel,
    hashes, embedDim: text.embedDim, logitScale, contextLength: tokenizer.contextLength,
  };
  const encodeText = async (texts: string[]): Promise<Float32Array> => {
    const out = new Float32Array(texts.length * info.embedDim);
    for (let start = 0; start < texts.length; start += TEXT_BATCH) {
      const ids = tokenizer.tokenize(texts.slice(start, start + TEXT_BATCH));
      const flat = BigInt64Array.from(ids.flat(), (v) => BigInt(v));
      out.set(await text.run(flat, [ids.length, tokenizer.contextLength]), start * info.embedDim);
    }
    return out;
  };
  return {
    info,
    preprocessor,
    tokenize: (texts) => tokenizer.tokenize(texts),
    encodeText,
    preprocess: (image: RawImage) => preprocessImage(image, preprocessor),
    preprocessInto: (image: RawImage, out: Float32Array, offset: number) => void preprocessImage(image, preprocessor, out, offset),
    encodePixels: (pixels, n) => {
      if (pixels.length !== n * 3 * size.height * size.width) {
        throw new ZeroshiftError('INTERNAL', `encodePixels: ${pixels.length} floats is not ${n}x3x${size.height}x${size.width}`);
      }
      return vision.run(pixels, [n, 3, size.height, size.width]);
    },
    dispose: async () => {
      await Promise.all([text.release(), vision.release()]);
    },
  };
}
