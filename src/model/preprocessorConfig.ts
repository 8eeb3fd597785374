/**
 * Parses Hugging Face `preprocessor_config.json` (CLIPImageProcessor) into PreprocessorConfig,
 * with CLIPImageProcessor's defaults for absent keys.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import type { PreprocessorConfig } from './types.js';

const OPENAI_CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

const positiveInt = z.number().int().positive();
const triple = z.tuple([z.number(), z.number(), z.number()]);
const sizeSchema = z.union([
  positiveInt.transform((n) => ({ shortestEdge: n })),
  z.object({ shortest_edge: positiveInt }).transform((s) => ({ shortestEdge: s.shortest_edge })),
  z.object({ height: positiveInt, width: positiveInt }).transform((s) => ({ height: s.height, width: s.width })),
]);
const cropSchema = z.union([
  positiveInt.transform((n) => ({ height: n, width: n })),
  z.object({ height: positiveInt, width: positiveInt }).transform((s) => ({ height: s.height, width: s.width })),
]);

const schema = z.object({
  do_resize: z.boolean().default(true),
  size: sizeSchema.default({ shortestEdge: 224 }),
  resample: z.union([z.literal(0), z.literal(2), z.literal(3)]).default(3),
  do_center_crop: z.boolean().default(true),
  crop_size: cropSchema.default({ height: 224, width: 224 }),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().positive().default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: z.union([triple, z.number().transform((m): [number, number, number] => [m, m, m])]).default(OPENAI_CLIP_MEAN),
  image_std: z.union([triple, z.number().transform((s): [number, number, number] => [s, s, s])]).default(OPENAI_CLIP_STD),
  do_convert_rgb: z.boolean().default(true),
});

function issueText(error: z.ZodError): string {
  return error.issues.map((i) => `key '${i.path.join('.') || '(root)'}': ${i.message}`).join('; ');
}

/** Validates a parsed preprocessor_config.json object; `file` names it in errors. */
export function parsePreprocessorConfig(json: unknown, file: string): PreprocessorConfig {
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ZeroshiftError('MODEL', `${file}: invalid preprocessor config: ${issueText(result.error)}`, {
      hint: 'size must be {"shortest_edge": n} or {"height": h, "width": w}; resample one of 0 (nearest), 2 (bilinear), 3 (bicubic)',
    });
  }
  const c = result.data;
  return {
    doResize: c.do_resize,
    size: c.size,
    resample: c.resample,
    doCenterCrop: c.do_center_crop,
    cropSize: c.crop_size,
    doRescale: c.do_rescale,
    rescaleFactor: c.rescale_factor,
    doNormalize: c.do_normalize,
    imageMean: c.image_mean,
    imageStd: c.image_std,
    doConvertRgb: c.do_convert_rgb,
  };
}

/** Reads and validates a preprocessor_config.json file. */
export function readPreprocessorConfig(file: string): PreprocessorConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${file}: cannot read preprocessor config: ${(e as Error).message}`);
  }
  return parsePreprocessorConfig(json, file);
}
