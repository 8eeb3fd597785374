import type { RawImage } from '../image/rawImage.js';

import type { Dtype } from '../hub/dtypes.js';
import type { FamilyId } from './familyIds.js';
import type { ScoringRule } from './scoring.js';
import type { HubIdentity, HubOptions } from '../hub/resolve.js';
import type { TextBatch } from './graphInputs.js';
import type { ModelLimits } from '../util/modelLimits.js';
import type { ModelShare } from './modelShare.js';

export type { Dtype, FamilyId, TextBatch };
export type Device = 'cpu' | 'cuda';

/**
 * Resize target: torchvision `Resize(n)` (short side n), an exact height/width (HF `size:
 * {height, width}`, open_clip `squash`), or open_clip's `ResizeKeepRatio` fitting the longest or
 * shortest side into height × width (open_clip `longest`, and `shortest` for non-square sizes).
 */
export type ResizeTarget =
  | { shortestEdge: number }
  | { height: number; width: number }
  | { fit: 'longest' | 'shortest'; height: number; width: number };

/** What drives preprocessing, from any family's processor config (HF, Jina, open_clip preprocess_cfg). */
export interface PreprocessorConfig {
  /** Where the settings came from, e.g. `SiglipImageProcessor` or `open_clip preprocess_cfg (longest)`. */
  processor: string;
  doResize: boolean;
  size: ResizeTarget;
  /** PIL resample filter id: 0 nearest, 2 bilinear, 3 bicubic. */
  resample: 0 | 2 | 3;
  /** torchvision CenterCrop (zero padding when the crop is larger, as open_clip's CenterCropOrPad). */
  doCenterCrop: boolean;
  /** The crop, and in every case the model input size when the config fixes one. */
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
  /**
   * The execution provider the towers run on, when it is not the CPU (absent: cpu). ONNX
   * Runtime's CUDA provider multiplies float matrices in TF32 by default (`use_tf32`), so its
   * numbers differ from the CPU's: it joins the result identity, file name and cache keys.
   */
  executionProvider?: 'cuda';
  textModelPath: string;
  visionModelPath: string;
  /** sha256 of each file that affects outputs. */
  /**
   * sha256 of each file that affects outputs. A graph with external data hashes as the digest of
   * its files' digests; `tokenizer` covers tokenizer.json, tokenizer_config.json and
   * special_tokens_map.json; `config` covers config.json (family, scale, context length).
   */
  hashes: { textModel: string; visionModel: string; tokenizer: string; preprocessor: string; config?: string };
  embedDim: number;
  logitScale: number;
  contextLength: number;
  /** How cosines become logits and probabilities (CLIP: softmax over logitScale · cos). */
  scoring: ScoringRule;
  /** The detected (or spec-given) model family. */
  family?: FamilyId;
  /** For `hf:` references: the repository, the revision asked for and the commit it resolved to. */
  hub?: HubIdentity;
}

/** One graph side as loaded: declared inputs (name, type, shape) and the output read. */
export interface TowerInspection {
  path: string;
  inputs: { name: string; type: string; shape: readonly (number | string)[] }[];
  output: string;
  combined: boolean;
}

/** The choices a load made, shown by `zeroshift verify`. */
export interface ModelInspection {
  family: FamilyId;
  layout: 'split' | 'combined';
  text: TowerInspection;
  vision: TowerInspection;
  padding: 'max_length' | 'longest';
  lowercase: boolean;
  eosId: number;
  padId: number;
  /** Where the scale and bias came from: the spec, a combined graph's logits, config.json or the default. */
  scoringSource: string;
  /** Token ids as the text tower gets them, with each row's length up to and including its end token. */
  encode(texts: string[]): TextBatch;
}

/** Options for loading a model. */
export interface LoadModelOptions {
  dtype?: Dtype;
  device?: Device;
  /**
   * The caller already decided `device` with `decideDevice` (eval does, once per run), so the
   * model does not probe CUDA again before its sessions open.
   */
  deviceDecided?: boolean;
  /** Override the text tower (dir or .onnx). */
  textModel?: string;
  /** Override the vision tower (dir or .onnx). */
  visionModel?: string;
  /** ONNX Runtime intra-op threads (0 = ORT default). */
  threads?: number;
  /** Let ONNX Runtime's pool threads spin-wait between runs (default false; see TowerOptions.spinWait). */
  spinWait?: boolean;
  /**
   * Sessions and tokenizers shared with the other models of a run whose files are the same
   * (see ModelShare); absent, this model opens its own.
   */
  share?: ModelShare;
  /**
   * A cache directory holding facts of earlier successful loads; with it, a model whose files
   * are unchanged opens its ONNX sessions on first use instead of at load.
   */
  factsDir?: string;
  /** Called with warnings (truncated prompt, CUDA fallback...). */
  onWarning?: (message: string) => void;
  /** Hub cache, endpoint and token for `hf:` references (default: from the HF_* environment variables). */
  hub?: HubOptions;
  /** Bounds on input pixels and file sizes (default DEFAULT_MODEL_LIMITS; the CLI reads ZEROSHIFT_MAX_*). */
  limits?: ModelLimits;
}

/** A loaded two-tower CLIP model. */
export interface ClipModel {
  info: ModelInfo;
  preprocessor: PreprocessorConfig;
  /** Token ids (N, L) as the text tower gets them (L = contextLength with max_length padding), EOS kept last on truncation. */
  tokenize(texts: string[]): number[][];
  /** (N, D) L2-normalised text embeddings, row-major. */
  encodeText(texts: string[]): Promise<Float32Array>;
  /** (N, D) text embeddings as the tower outputs them (unnormalised): the testbed ensembling rule needs them. */
  encodeTextRaw?(texts: string[]): Promise<Float32Array>;
  /** Preprocesses one image to a (3, H, W) float32 tensor (CHW). */
  preprocess(image: RawImage): Float32Array;
  /**
   * Preprocesses one image into a (N, 3, H, W) batch buffer at element `offset`, without a copy.
   * Where the config fixes the output at the crop size, it writes all 3·H·W floats of the slot:
   * the stream then reuses batch buffers without zeroing them.
   */
  preprocessInto?(image: RawImage, out: Float32Array, offset: number): void;
  /** What was chosen at load, for `zeroshift verify`: layout, inputs fed and outputs read, padding, scoring source. */
  inspect?(): Promise<ModelInspection>;
  /**
   * (N, D) L2-normalised image embeddings from a (N, 3, H, W) batch; `items` (N ids or paths)
   * name the first one in the error when the tower outputs NaN or Inf.
   * @throws ZeroshiftError('MODEL') when any row is not finite
   */
  encodePixels(pixels: Float32Array, n: number, items?: readonly string[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}
