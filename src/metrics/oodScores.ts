import { ZeroshiftError } from '../errors.js';
import { Registry } from '../util/registry.js';
import type { ScoringRule } from '../model/scoring.js';

/**
 * Zero-shot OOD scores of one image from its cosine similarities s_i to each ID class's
 * ensembled prompt embedding (higher = more in-distribution):
 *
 * - `mcm` (Ming et al., NeurIPS 2022): max_i softmax(s / T)_i over the raw cosines, T =
 *   `--ood-temperature` (1 in the paper; the model's logit scale is not applied). For a
 *   sigmoid-rule model (SigLIP, SigLIP 2) class probabilities are the model's own independent
 *   sigmoids, so the score is max_i sigmoid((scale·s_i + bias) / T): at T = 1 exactly the
 *   probability the model gives its top class.
 * - `maxlogit`: max_i scale·s_i, scale the model's exponentiated logit scale.
 * - `energy`: T·logsumexp_i(scale·s_i / T) (the negative free energy, higher = ID).
 *
 * SigLIP's logit bias adds the same constant to every `maxlogit` and `energy` score and is left
 * out of both: it changes no metric. Computed in float64 from the float32 cosines.
 */
export type OodScoreName = 'mcm' | 'maxlogit' | 'energy';

export interface OodScoreDef {
  id: OodScoreName;
  /** One line for --help. */
  title: string;
  /**
   * The score of one image.
   * @param cos (C,) cosines, read from `offset`
   */
  row(cos: ArrayLike<number>, offset: number, c: number, scoring: ScoringRule, temperature: number): number;
}

export const OOD_SCORES = new Registry<OodScoreDef>('OOD score')
  .register('mcm', { id: 'mcm', title: 'maximum concept matching: max softmax(cos / T) (the model\'s sigmoid for SigLIP)', row: mcmRow })
  .register('maxlogit', { id: 'maxlogit', title: 'max logit: max scale·cos', row: maxLogitRow })
  .register('energy', { id: 'energy', title: 'energy: T·logsumexp(scale·cos / T)', row: energyRow });

/** The default `--ood-score`, as in the issue and the MCM paper. */
export const DEFAULT_OOD_SCORE: OodScoreName = 'mcm';

/** The definition of a score id; an unknown id lists the known ones (USAGE, exit 2). */
export function oodScoreDef(id: string): OodScoreDef {
  return OOD_SCORES.get(id);
}

/** Checks `--ood-temperature`: a finite number > 0. */
export function checkTemperature(t: number): number {
  if (!(Number.isFinite(t) && t > 0)) {
    throw new ZeroshiftError('USAGE', `--ood-temperature must be a number > 0, got ${t}`, { hint: 'MCM uses 1 (the default)' });
  }
  return t;
}

/**
 * Scores of a batch of images.
 * @param cos (N, C) cosines, row-major
 * @returns (N,) float64 scores
 */
export function oodScores(cos: ArrayLike<number>, n: number, c: number, name: OodScoreName, scoring: ScoringRule, temperature: number): Float64Array {
  const def = oodScoreDef(name);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = def.row(cos, i * c, c, scoring, temperature);
  return out;
}

function mcmRow(cos: ArrayLike<number>, offset: number, c: number, scoring: ScoringRule, t: number): number {
  if (scoring.rule === 'sigmoid') {
    let best = -Infinity;
    for (let j = 0; j < c; j++) best = Math.max(best, scoring.scale * cos[offset + j] + scoring.bias);
    return sigmoid(best / t);
  }
  // max softmax = exp(max/T) / Σ exp(s_j/T) = 1 / Σ exp((s_j − max)/T).
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, cos[offset + j]);
  let sum = 0;
  for (let j = 0; j < c; j++) sum += Math.exp((cos[offset + j] - max) / t);
  return 1 / sum;
}

function maxLogitRow(cos: ArrayLike<number>, offset: number, c: number, scoring: ScoringRule): number {
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, cos[offset + j]);
  return scoring.scale * max;
}

function energyRow(cos: ArrayLike<number>, offset: number, c: number, scoring: ScoringRule, t: number): number {
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, (scoring.scale * cos[offset + j]) / t);
  let sum = 0;
  for (let j = 0; j < c; j++) sum += Math.exp((scoring.scale * cos[offset + j]) / t - max);
  return t * (max + Math.log(sum));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
