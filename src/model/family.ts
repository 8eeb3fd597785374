/**
 * Model families: detected from config.json `model_type`, tokenizer_config.json
 * `tokenizer_class` and open_clip_config.json, or named by a spec. The family decides what the
 * files do not say: the scoring rule (SigLIP's sigmoid), the text padding (SigLIP pools the last
 * position, so it needs `max_length`) and SigLIP 2's lowercasing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ZeroshiftError } from '../errors.js';
import type { FamilyId } from './familyIds.js';
import type { ModelFiles } from './modelFiles.js';
import type { ScoringRuleName } from './scoring.js';
import type { Padding } from './tokenizer.js';

export { FAMILIES, type FamilyId } from './familyIds.js';

export interface FamilyTraits {
  id: FamilyId;
  rule: ScoringRuleName;
  /** Padding the family's text tower needs whatever its graph declares (undefined: decided by the graph). */
  padding?: Padding;
  lowercase: boolean;
  /** The family's usual processor settings, for `verify` to show differences from. */
  usual: string;
  /** The same, as the fields `verify` compares. */
  usualPre: UsualPreprocessing;
}

/** Processor settings a family's released checkpoints share. */
export interface UsualPreprocessing {
  resample: 0 | 2 | 3;
  doCenterCrop: boolean;
  doNormalize: boolean;
  mean: 'openai' | 'half';
}

export const FAMILY_TRAITS: Record<FamilyId, FamilyTraits> = {
  clip: { id: 'clip', rule: 'softmax', lowercase: false, usual: 'CLIPImageProcessor: shortest_edge 224, bicubic, center crop 224, OpenAI mean/std', usualPre: { resample: 3, doCenterCrop: true, doNormalize: true, mean: 'openai' } },
  siglip: { id: 'siglip', rule: 'sigmoid', padding: 'max_length', lowercase: false, usual: 'SiglipImageProcessor: resize to {height, width}, bicubic, no crop, mean/std 0.5', usualPre: { resample: 3, doCenterCrop: false, doNormalize: true, mean: 'half' } },
  siglip2: { id: 'siglip2', rule: 'sigmoid', padding: 'max_length', lowercase: true, usual: 'SiglipImageProcessor: resize to {height, width}, bilinear, no crop, mean/std 0.5, do_convert_rgb null', usualPre: { resample: 2, doCenterCrop: false, doNormalize: true, mean: 'half' } },
  'chinese-clip': { id: 'chinese-clip', rule: 'softmax', lowercase: false, usual: 'ChineseCLIPImageProcessor: resize to {height, width}, bicubic, do_center_crop false, OpenAI mean/std', usualPre: { resample: 3, doCenterCrop: false, doNormalize: true, mean: 'openai' } },
  'jina-clip': { id: 'jina-clip', rule: 'softmax', lowercase: false, usual: 'JinaCLIPImageProcessor: size 512 (v2), bicubic, resize_mode shortest, OpenAI mean/std', usualPre: { resample: 3, doCenterCrop: true, doNormalize: true, mean: 'openai' } },
  mobileclip: { id: 'mobileclip', rule: 'softmax', lowercase: false, usual: 'CLIPImageProcessor: shortest_edge 256, bilinear, center crop 256, do_normalize false', usualPre: { resample: 2, doCenterCrop: true, doNormalize: false, mean: 'openai' } },
  'open-clip': { id: 'open-clip', rule: 'softmax', lowercase: false, usual: 'open_clip preprocess_cfg: resize_mode shortest, bicubic, OpenAI mean/std', usualPre: { resample: 3, doCenterCrop: true, doNormalize: true, mean: 'openai' } },
};

function readJsonLoose(file: string | undefined): Record<string, unknown> {
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${file}: cannot read: ${(e as Error).message}`);
  }
}

/** The family of a resolved model: the spec's, else inferred from its configs. */
export function detectFamily(files: ModelFiles): FamilyId {
  if (files.overrides.family) return files.overrides.family;
  if (files.openClipConfig) return 'open-clip';
  const config = readJsonLoose(files.config);
  const type = String(config.model_type ?? '').toLowerCase();
  const tokenizerClass = String(readJsonLoose(files.tokenizerConfig).tokenizer_class ?? '');
  if (type === 'siglip2' || (type === 'siglip' && /gemma/i.test(tokenizerClass))) return 'siglip2';
  if (type === 'siglip') return 'siglip';
  if (type === 'chinese_clip') return 'chinese-clip';
  if (type === 'jina_clip' || type === 'jina-clip') return 'jina-clip';
  if (type.includes('mobileclip')) return 'mobileclip';
  // MobileCLIP is exported as model_type clip; it alone of the CLIP family feeds unnormalised pixels.
  if (readJsonLoose(files.preprocessor).do_normalize === false) return 'mobileclip';
  return 'clip';
}
