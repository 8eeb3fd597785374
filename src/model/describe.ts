/**
 * Plain-text descriptions of what a load chose, for `zeroshift verify`: preprocessing and its
 * differences from the family's usual settings, tokenization of sample strings, the scoring rule,
 * and the comparison of a model's embeddings with a reference file.
 */
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { FAMILY_TRAITS } from './family.js';
import type { FamilyId } from './familyIds.js';
import type { ScoringRule } from './scoring.js';
import type { PreprocessorConfig, ResizeTarget, TextBatch } from './types.js';

const RESAMPLE = { 0: 'nearest', 2: 'bilinear', 3: 'bicubic' } as const;
const OPENAI_MEAN = [0.48145466, 0.4578275, 0.40821073];

function sizeText(size: ResizeTarget): string {
  if ('shortestEdge' in size) return `shortest edge ${size.shortestEdge}`;
  if ('fit' in size) return `fit ${size.fit} side into ${size.height}x${size.width}`;
  return `exactly ${size.height}x${size.width}`;
}

/** One line: what the preprocessing does, in order. */
export function describePreprocessing(cfg: PreprocessorConfig): string {
  const steps = [
    cfg.doResize ? `resize ${sizeText(cfg.size)} (${RESAMPLE[cfg.resample]})` : 'no resize',
    cfg.doCenterCrop ? `center crop ${cfg.cropSize.height}x${cfg.cropSize.width}` : 'no crop',
    cfg.doRescale ? `rescale x${Number(cfg.rescaleFactor.toPrecision(6))}` : 'no rescale',
    cfg.doNormalize ? `normalize mean [${cfg.imageMean.join(', ')}] std [${cfg.imageStd.join(', ')}]` : 'no normalize',
  ];
  return `${cfg.processor}: ${steps.join(', ')}`;
}

/** Settings that differ from the family's usual ones (empty when none do). */
export function preprocessingDifferences(cfg: PreprocessorConfig, family: FamilyId): string[] {
  const usual = FAMILY_TRAITS[family].usualPre;
  const out: string[] = [];
  if (cfg.resample !== usual.resample) out.push(`resample ${RESAMPLE[cfg.resample]} (usual: ${RESAMPLE[usual.resample]})`);
  if (cfg.doCenterCrop !== usual.doCenterCrop) out.push(`center crop ${cfg.doCenterCrop ? 'on' : 'off'} (usual: ${usual.doCenterCrop ? 'on' : 'off'})`);
  if (cfg.doNormalize !== usual.doNormalize) out.push(`normalize ${cfg.doNormalize ? 'on' : 'off'} (usual: ${usual.doNormalize ? 'on' : 'off'})`);
  const mean = cfg.imageMean.every((m, i) => Math.abs(m - OPENAI_MEAN[i]) < 1e-6) ? 'openai' : cfg.imageMean.every((m) => m === 0.5) ? 'half' : 'other';
  if (cfg.doNormalize && mean !== usual.mean) out.push(`mean/std ${mean === 'openai' ? 'OpenAI CLIP' : mean === 'half' ? '0.5' : `[${cfg.imageMean.join(', ')}]`} (usual: ${usual.mean === 'openai' ? 'OpenAI CLIP' : '0.5'})`);
  return out;
}

/** One line per sample string: ids, how many are real, where the end token sits, the padding. */
export function describeTokens(texts: string[], batch: TextBatch, eosId: number): string[] {
  return texts.map((text, i) => {
    const row = batch.ids[i];
    const real = batch.lengths[i];
    const end = real > 0 && row[real - 1] === eosId ? real - 1 : -1;
    const shown = row.slice(0, Math.min(real, 16)).join(' ') + (real > 16 ? ' …' : '');
    return `${JSON.stringify(text)} → [${shown}] ${real} token(s), end token at ${end >= 0 ? end : 'none'}, padded to ${row.length}`;
  });
}

/** The scoring rule as a formula with its numbers. */
export function describeScoring(s: ScoringRule): string {
  const f = (v: number) => Number(v.toPrecision(7));
  return s.rule === 'sigmoid' ? `sigmoid(scale·cos + bias) per class, scale ${f(s.scale)}, bias ${f(s.bias)}` : `softmax(scale·cos) over classes, scale ${f(s.scale)}`;
}

const referenceSchema = z.object({
  images: z.array(z.object({ path: z.string().min(1), embedding: z.array(z.number()).min(1) })).default([]),
  texts: z.array(z.object({ text: z.string(), embedding: z.array(z.number()).min(1) })).default([]),
  min_cosine: z.number().min(-1).max(1).default(0.9999),
});
export type VerifyReference = z.infer<typeof referenceSchema>;

/** Validates a `verify --reference` file's JSON; `file` names it in errors. */
export function parseVerifyReference(json: unknown, file: string): VerifyReference {
  const parsed = referenceSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `key '${i.path.join('.') || '(root)'}': ${i.message}`).join('; ');
    throw new ZeroshiftError('INPUT', `${file}: invalid verify reference: ${detail}`, {
      hint: '{"images": [{"path": "cat.png", "embedding": [...]}], "texts": [{"text": "a cat", "embedding": [...]}], "min_cosine"?: 0.9999} (docs/models.md)',
    });
  }
  if (parsed.data.images.length + parsed.data.texts.length === 0) throw new ZeroshiftError('INPUT', `${file}: verify reference has no images and no texts`);
  return parsed.data;
}

/** Cosine of two vectors (not assumed normalised). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}
