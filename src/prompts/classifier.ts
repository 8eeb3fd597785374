import { ZeroshiftError } from '../errors.js';
import { hashValue } from '../util/hash.js';
import type { ClassName } from './schema.js';
import { fillTemplate } from './template.js';

/**
 * How per-template text embeddings become one class embedding:
 * - `clip`: L2-normalise each, average, L2-normalise (CLIP notebook, open_clip, CLIP_benchmark);
 * - `testbed`: average the UNnormalised embeddings, then L2-normalise;
 * - `single`: exactly one template (per synonym), normalised.
 */
export type EnsembleRule = 'clip' | 'testbed' | 'single';

/** Encodes N texts to a (N, D) row-major Float32Array. */
export type TextEncoder = (texts: string[]) => Promise<Float32Array>;

export interface BuildClassifierOptions {
  /** Unnormalised text encoder, required by `testbed` (ClipModel.encodeText normalises). */
  encodeTextRaw?: TextEncoder;
  /** Texts per encoder call; bounds memory for 1000 classes × 80 templates. Default 256. */
  batchSize?: number;
  /** Full sentences per class (CuPL), parallel to the class names: ensembled with that class's filled templates. */
  classPrompts?: readonly (readonly string[])[];
}

interface Prompt {
  classIndex: number;
  text: string;
}

function expandPrompts(classNames: readonly ClassName[], templates: readonly string[], classPrompts?: readonly (readonly string[])[]): Prompt[] {
  if (classPrompts !== undefined && classPrompts.length !== classNames.length) {
    throw new ZeroshiftError('CONFIG', `per-class prompts: ${classPrompts.length} lists for ${classNames.length} classes`);
  }
  const prompts: Prompt[] = [];
  classNames.forEach((name, classIndex) => {
    for (const synonym of typeof name === 'string' ? [name] : name) {
      for (const t of templates) prompts.push({ classIndex, text: fillTemplate(t, synonym) });
    }
    for (const text of classPrompts?.[classIndex] ?? []) prompts.push({ classIndex, text });
  });
  return prompts;
}

function chooseEncoder(rule: EnsembleRule, templates: readonly string[], encodeText: TextEncoder, options: BuildClassifierOptions): TextEncoder {
  if (rule === 'single' && (templates.length !== 1 || options.classPrompts)) {
    throw new ZeroshiftError('CONFIG', `ensembling 'single' needs exactly one template, got ${templates.length}`, { hint: "use ensembling 'clip' for several templates" });
  }
  if (rule !== 'testbed') return encodeText;
  if (!options.encodeTextRaw) {
    throw new ZeroshiftError('CONFIG', "ensembling 'testbed' averages unnormalised text embeddings, but no raw text encoder (encodeTextRaw) was given");
  }
  return options.encodeTextRaw;
}

/** Adds row `r` of `emb` (D wide) to `sums` at `classIndex`, L2-normalised first if asked. */
function addRow(sums: Float64Array, classIndex: number, emb: Float32Array, r: number, dim: number, normalise: boolean): void {
  let norm = 1;
  if (normalise) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += emb[r * dim + d] ** 2;
    norm = Math.sqrt(sq);
  }
  for (let d = 0; d < dim; d++) sums[classIndex * dim + d] += emb[r * dim + d] / norm;
}

function normaliseRows(sums: Float64Array, rows: number, dim: number, classNames: readonly ClassName[]): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let k = 0; k < rows; k++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += sums[k * dim + d] ** 2;
    const norm = Math.sqrt(sq);
    if (!(norm > 0) || !Number.isFinite(norm)) {
      throw new ZeroshiftError('MODEL', `class ${k} (${JSON.stringify(classNames[k])}) has a zero or non-finite text embedding`);
    }
    for (let d = 0; d < dim; d++) out[k * dim + d] = sums[k * dim + d] / norm;
  }
  return out;
}

/**
 * Zero-shot classifier weights: one (C, D) row-major Float32Array, rows L2-normalised, from
 * every class name × template, and each class's own sentences (`options.classPrompts`, as
 * CLIP_benchmark's dict templates), through `encodeText` ((N, D) per call). Mean in float64.
 */
export async function buildClassifier(
  encodeText: TextEncoder, dim: number, classNames: readonly ClassName[], templates: readonly string[],
  rule: EnsembleRule = 'clip', options: BuildClassifierOptions = {},
): Promise<Float32Array> {
  const encode = chooseEncoder(rule, templates, encodeText, options);
  const batch = options.batchSize ?? 256;
  const prompts = expandPrompts(classNames, templates, options.classPrompts);
  const sums = new Float64Array(classNames.length * dim);
  for (let start = 0; start < prompts.length; start += batch) {
    const chunk = prompts.slice(start, start + batch);
    const emb = await encode(chunk.map((p) => p.text));
    if (emb.length !== chunk.length * dim) {
      throw new ZeroshiftError('MODEL', `text encoder returned ${emb.length} values for ${chunk.length} texts of dimension ${dim}`);
    }
    chunk.forEach((p, r) => addRow(sums, p.classIndex, emb, r, dim, rule !== 'testbed'));
  }
  return normaliseRows(sums, classNames.length, dim, classNames);
}

/**
 * sha256 identifying a classifier's text side: templates, class names, rule and per-class
 * prompts (absent ones leave the hash of a templates-only set as it always was).
 */
export function promptHash(templates: readonly string[], classNames: readonly ClassName[], rule: EnsembleRule, classPrompts?: readonly (readonly string[])[]): string {
  return hashValue({ templates, classNames, rule, classPrompts });
}
