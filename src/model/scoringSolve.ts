/**
 * A model's scoring rule: from its spec, else solved from a combined graph's `logits_per_image`
 * (SigLIP keeps `logit_scale` and `logit_bias` as weights, not in config.json), else CLIP's
 * config.json `logit_scale` (default 100). Solving runs the graph once on two images × two texts
 * and fits logits = scale · cos + bias by least squares over the four pairs.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { ZeroshiftError } from '../errors.js';
import { inputOf, pixelFeeds, textFeeds, type TextBatch } from './graphInputs.js';
import { selectOutput } from './graphOutputs.js';
import { fromHalf } from './half.js';
import type { OnnxGraph } from './onnxTower.js';
import type { ScoringRule, ScoringRuleName } from './scoring.js';

/** CLIP's fixed logit scale, used when config.json carries no trained `logit_scale`. */
export const DEFAULT_LOGIT_SCALE = 100;
/** Texts the fit is made on: any two distinct prompts give distinct cosines. */
export const SOLVE_TEXTS = ['a photo of a dog.', 'a diagram of a red circle.'];

/** config.json's trained `logit_scale` (already exponentiated), else 100. */
export function readLogitScale(configFile: string): number {
  let config: { logit_scale?: unknown };
  if (!existsSync(configFile)) return DEFAULT_LOGIT_SCALE;
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

/** Two deterministic (2, 3, H, W) images in the normalised input range, different enough to give distinct cosines. */
function solveImages(height: number, width: number): Float32Array {
  const plane = height * width;
  const out = new Float32Array(2 * 3 * plane);
  let s = 12345;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const img = Math.floor(i / (3 * plane));
    const y = Math.floor((i % plane) / width);
    out[i] = img === 0 ? (y / height) * 2 - 1 : ((s >>> 8) / 2 ** 24) * 2 - 1;
  }
  return out;
}

function floats(t: ort.Tensor): Float32Array {
  return t.type === 'float16' ? fromHalf(t.data as Uint16Array) : (t.data as Float32Array);
}

function normalizedRows(data: Float32Array, n: number): Float64Array[] {
  const d = data.length / n;
  return Array.from({ length: n }, (_, i) => {
    const row = Float64Array.from(data.subarray(i * d, (i + 1) * d));
    const norm = Math.max(Math.hypot(...row), 1e-12);
    return row.map((v) => v / norm);
  });
}

/**
 * Fits logits_per_image = scale · cos + bias on 2 × 2 pairs of a combined graph.
 * @param texts the two solve texts, tokenized as the model tokenizes
 * @throws ZeroshiftError('MODEL') when the graph has no logits_per_image or the logits are not affine in cos.
 */
export async function solveScoring(graph: OnnxGraph, rule: ScoringRuleName, texts: TextBatch, size: { height: number; width: number }): Promise<ScoringRule> {
  const meta = graph.session.outputMetadata;
  if (!meta.some((m) => m.name === 'logits_per_image')) {
    throw new ZeroshiftError('MODEL', `${graph.path}: cannot solve the logit scale: no 'logits_per_image' output (found ${meta.map((m) => `'${m.name}'`).join(', ')})`, {
      hint: 'give "scoring": {"rule", "scale", "bias"} in a zeroshift-model.json spec (docs/models.md)',
    });
  }
  const pixels = inputOf(graph.inputs, 'pixels')!;
  const [h, w] = [pixels.shape[2], pixels.shape[3]];
  const dims = [2, 3, typeof h === 'number' ? h : size.height, typeof w === 'number' ? w : size.width];
  const textOut = selectOutput(graph.path, meta, 'text', true);
  const imageOut = selectOutput(graph.path, meta, 'vision', true);
  const feeds = { ...textFeeds(graph.inputs, texts), ...pixelFeeds(graph.inputs, solveImages(dims[2], dims[3]), dims) };
  const out = await graph.session.run(feeds, ['logits_per_image', textOut, imageOut]);
  const logits = floats(out.logits_per_image);
  const img = normalizedRows(floats(out[imageOut]), 2);
  const txt = normalizedRows(floats(out[textOut]), 2);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    xs.push(img[i].reduce((acc, v, k) => acc + v * txt[j][k], 0));
    ys.push(logits[i * 2 + j]);
  }
  const mx = xs.reduce((a, b) => a + b) / 4;
  const my = ys.reduce((a, b) => a + b) / 4;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const sxy = xs.reduce((a, x, k) => a + (x - mx) * (ys[k] - my), 0);
  if (!(sxx > 1e-12)) throw new ZeroshiftError('MODEL', `${graph.path}: cannot solve the logit scale: the four image-text cosines are equal`, { hint: 'give "scoring" in a zeroshift-model.json spec' });
  const scale = sxy / sxx;
  const bias = rule === 'softmax' ? 0 : my - scale * mx;
  const worst = Math.max(...xs.map((x, k) => Math.abs(scale * x + (rule === 'softmax' ? my - scale * mx : bias) - ys[k])));
  if (!(scale > 0) || worst > 1e-3 * Math.max(1, ...ys.map(Math.abs))) {
    throw new ZeroshiftError('MODEL', `${graph.path}: logits_per_image is not scale·cos + bias (fit scale ${scale.toPrecision(6)}, worst residual ${worst.toPrecision(3)})`, {
      hint: 'give "scoring": {"rule", "scale", "bias"} in a zeroshift-model.json spec',
    });
  }
  return { rule, scale, bias };
}
