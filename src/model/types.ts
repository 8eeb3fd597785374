import type { RawImage } from '../image/rawImage.js';
import type { ScoringRule } from './scoring.js';

export type Dtype = 'fp32' | 'q8';
export type Device = 'cpu' | 'cuda';

/** The subset of Hugging Face `CLIPImageProcessor` config that drives preprocessing. */
export interface PreprocessorConfig {
  doResize: boolean;
  /** Resize target: shortest edge, or exact height/width. */
  size: { shortestEdge: number } | { height: number; width: number };
  /** PIL resample filter id: 0 nearest, 2 bilinear, 3 bicubic. */
  resample: 0 | 2 | 3;
  doCenterCrop: boolean;
  cropSize: { height: number; width: number };
  doRescale: boolean;
  rescaleFactor: number;
  doNormalize: boolean;
  imageMean: [number, number, number];
  imageStd: [number, number, number];
  doConvertRgb: boolean;
}

/** Identity of a loaded model, recorded in results. */
export interface ModelInfo {
  name: string;
  /** Path of the directory or spec file the user gave. */
  source: string;
  dtype: Dtype;
  textModelPath: string;
  visionModelPath: string;
  /** sha256 of each file that affects outputs. */
  hashes: { textModel: string; visionModel: string; tokenizer: string; preprocessor: string };
  embedDim: number;
  logitScale: number;
  contextLength: number;
  /** How cosines become logits and probabilities (CLIP: softmax over logitScale · cos). */
  scoring: ScoringRule;
}

/** Options for loading a model. */
export interface LoadModelOptions {
  dtype?: Dtype;
  device?: Device;
  /** Override the text tower (dir or .onnx). */
  textModel?: string;
  /** Override the vision tower (dir or .onnx). */
  visionModel?: string;
  /** ONNX Runtime intra-op threads (0 = ORT default). */
  threads?: number;
  /**
   * A cache directory holding facts of earlier successful loads; with it, a model whose files
   * are unchanged opens its ONNX sessions on first use instead of at load.
   */
  factsDir?: string;
  /** Called with warnings (truncated prompt, CUDA fallback...). */
  onWarning?: (message: string) => void;
}

/** A loaded two-tower CLIP model. */
export interface ClipModel {
  info: ModelInfo;
  preprocessor: PreprocessorConfig;
  /** Token ids (N, contextLength) as int64-compatible numbers, EOS kept last on truncation. */
  tokenize(texts: string[]): number[][];
  /** (N, D) L2-normalised text embeddings, row-major. */
  encodeText(texts: string[]): Promise<Float32Array>;
  /** (N, D) text embeddings as the tower outputs them (unnormalised): the testbed ensembling rule needs them. */
  encodeTextRaw?(texts: string[]): Promise<Float32Array>;
  /** Preprocesses one image to a (3, H, W) float32 tensor (CHW). */
  preprocess(image: RawImage): Float32Array;
  /** Preprocesses one image into a (N, 3, H, W) batch buffer at element `offset`, without a copy. */
  preprocessInto?(image: RawImage, out: Float32Array, offset: number): void;
  /** (N, D) L2-normalised image embeddings from a (N, 3, H, W) batch. */
  encodePixels(pixels: Float32Array, n: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}
