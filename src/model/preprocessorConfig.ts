/**
 * Parses a model's image processor settings into PreprocessorConfig, with each processor's own
 * defaults for absent keys: HF `CLIPImageProcessor` (CLIP, MobileCLIP, Chinese-CLIP),
 * `SiglipImageProcessor` (SigLIP, SigLIP 2: exact resize, no crop, mean/std 0.5), Jina's
 * open_clip-style keys (`mean`/`std`/`interpolation`/`resize_mode`) and OpenCLIP's
 * `open_clip_config.json` `preprocess_cfg`. A `null` value counts as absent (SigLIP 2 writes
 * `"do_convert_rgb": null`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import type { PreprocessorConfig, ResizeTarget } from './types.js';
import { jsonErrorReason } from '../util/jsonError.js';
import { DEFAULT_MODEL_LIMITS } from '../util/modelLimits.js';

const OPENAI_CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];
const HALF: [number, number, number] = [0.5, 0.5, 0.5];

const positiveInt = z.number().int().positive();
const triple = z.union([z.tuple([z.number(), z.number(), z.number()]), z.number().transform((m): [number, number, number] => [m, m, m])]);
const hw = z.object({ height: positiveInt, width: positiveInt }).transform((s) => ({ height: s.height, width: s.width }));
const sizeSchema = z.union([
  positiveInt.transform((n) => ({ shortestEdge: n })),
  z.tuple([positiveInt, positiveInt]).transform(([height, width]) => ({ height, width })),
  z.object({ shortest_edge: positiveInt }).transform((s) => ({ shortestEdge: s.shortest_edge })),
  hw,
]);
const cropSchema = z.union([positiveInt.transform((n) => ({ height: n, width: n })), hw]);
const resampleSchema = z.union([
  z.literal(0), z.literal(2), z.literal(3),
  z.enum(['nearest', 'bilinear', 'bicubic']).transform((s) => ({ nearest: 0, bilinear: 2, bicubic: 3 } as const)[s]),
]);
const resizeModeSchema = z.enum(['shortest', 'squash', 'longest']);

const schema = z.object({
  image_processor_type: z.string().optional(),
  do_resize: z.boolean().optional(),
  size: sizeSchema.optional(),
  resample: resampleSchema.optional(),
  interpolation: resampleSchema.optional(),
  resize_mode: resizeModeSchema.optional(),
  fill_color: z.literal(0).optional(),
  do_center_crop: z.boolean().optional(),
  crop_size: cropSchema.optional(),
  do_rescale: z.boolean().optional(),
  rescale_factor: z.number().positive().optional(),
  do_normalize: z.boolean().optional(),
  image_mean: triple.optional(),
  image_std: triple.optional(),
  mean: triple.optional(),
  std: triple.optional(),
  do_convert_rgb: z.boolean().optional(),
});
type Parsed = z.infer<typeof schema>;

function issueText(error: z.ZodError): string {
  return error.issues.map((i) => `key '${i.path.join('.') || '(root)'}': ${i.message}`).join('; ');
}

/** JSON with `null` values removed (HF writes null for "use the default"). */
function withoutNulls(json: unknown): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  return Object.fromEntries(Object.entries(json).filter(([, v]) => v !== null));
}

function square(size: ResizeTarget): { height: number; width: number } | undefined {
  if ('shortestEdge' in size) return { height: size.shortestEdge, width: size.shortestEdge };
  return { height: size.height, width: size.width };
}

/** open_clip's image_transform: squash resizes exactly; shortest resizes the short side and crops; longest fits and pads. */
function openClipResize(mode: z.infer<typeof resizeModeSchema>, size: ResizeTarget): { size: ResizeTarget; doCenterCrop: boolean } {
  const target = square(size)!;
  if (mode === 'squash') return { size: target, doCenterCrop: false };
  if (mode === 'longest') return { size: { fit: 'longest', ...target }, doCenterCrop: true };
  if (target.height === target.width) return { size: { shortestEdge: target.height }, doCenterCrop: true };
  return { size: { fit: 'shortest', ...target }, doCenterCrop: true };
}

/**
 * Refuses a resize target or crop over `maxPixels` (height × width; a shortest edge n counts
 * as n²), naming the key: crop_size 100000 on a dynamic-size vision input ended in "internal
 * error: Invalid typed array length", and 20000 ran out of memory after a minute.
 */
function checkPixels(c: Parsed, raw: Record<string, unknown>, file: string, maxPixels: number): void {
  const sides = (v: ResizeTarget | { height: number; width: number }): [number, number] => ('shortestEdge' in v ? [v.shortestEdge, v.shortestEdge] : [v.height, v.width]);
  for (const [key, value] of [['size', c.size], ['crop_size', c.crop_size]] as const) {
    if (value === undefined) continue;
    const [h, w] = sides(value);
    if (h * w <= maxPixels) continue;
    throw new ZeroshiftError('MODEL', `${file}: ${key} ${JSON.stringify(raw[key])} asks for ${h}×${w} = ${h * w} pixels per image, over the limit of ${maxPixels} (ZEROSHIFT_MAX_INPUT_PIXELS)`, {
      hint: 'CLIP-style models take 224² to 1024² pixels; fix the preprocessor config, or raise ZEROSHIFT_MAX_INPUT_PIXELS if this model really needs it',
    });
  }
}

function build(c: Parsed, file: string): PreprocessorConfig {
  const processor = c.image_processor_type ?? (c.resize_mode ? 'open_clip-style' : 'CLIPImageProcessor');
  const siglip = /siglip/i.test(processor);
  const openClipStyle = c.resize_mode !== undefined;
  const size: ResizeTarget = c.size ?? (siglip ? { height: 224, width: 224 } : { shortestEdge: 224 });
  const resize = openClipStyle ? openClipResize(c.resize_mode!, size) : { size, doCenterCrop: siglip ? false : c.do_center_crop ?? true };
  const doCenterCrop = c.do_center_crop === false ? false : resize.doCenterCrop;
  const fixed = 'shortestEdge' in resize.size ? undefined : { height: resize.size.height, width: resize.size.width };
  const cropSize = c.crop_size ?? (doCenterCrop ? square(resize.size) : fixed);
  if (!cropSize) {
    throw new ZeroshiftError('MODEL', `${file}: size ${JSON.stringify(c.size)} with no center crop leaves the input size open`, { hint: 'set "do_center_crop": true with a crop_size, or size {"height", "width"}' });
  }
  const defaultMean = siglip ? HALF : OPENAI_CLIP_MEAN;
  const defaultStd = siglip ? HALF : OPENAI_CLIP_STD;
  return {
    processor: openClipStyle ? `${processor} (resize_mode ${c.resize_mode})` : processor,
    doResize: c.do_resize ?? true,
    size: resize.size,
    resample: c.resample ?? c.interpolation ?? 3,
    doCenterCrop,
    cropSize,
    doRescale: c.do_rescale ?? true,
    rescaleFactor: c.rescale_factor ?? 1 / 255,
    doNormalize: c.do_normalize ?? true,
    imageMean: c.image_mean ?? c.mean ?? defaultMean,
    imageStd: c.image_std ?? c.std ?? defaultStd,
    doConvertRgb: c.do_convert_rgb ?? true,
  };
}

/** open_clip_config.json: preprocess_cfg plus the image size from model_cfg.vision_cfg. */
function fromOpenClip(json: Record<string, unknown>): unknown {
  const pre = (withoutNulls(json.preprocess_cfg) ?? {}) as Record<string, unknown>;
  const vision = ((json.model_cfg as Record<string, unknown> | undefined)?.vision_cfg ?? {}) as Record<string, unknown>;
  return { image_processor_type: 'open_clip preprocess_cfg', resize_mode: 'shortest', size: pre.size ?? vision.image_size ?? 224, ...pre };
}

/** Validates a parsed preprocessor_config.json (or open_clip_config.json) object; `file` names it in errors. */
export function parsePreprocessorConfig(json: unknown, file: string, maxPixels = DEFAULT_MODEL_LIMITS.maxInputPixels): PreprocessorConfig {
  const isOpenClip = !!json && typeof json === 'object' && 'preprocess_cfg' in json;
  const input = isOpenClip ? fromOpenClip(json as Record<string, unknown>) : withoutNulls(json);
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ZeroshiftError('MODEL', `${file}: invalid preprocessor config: ${issueText(result.error)}`, {
      hint: 'size must be n, {"shortest_edge": n} or {"height": h, "width": w}; resample one of 0 (nearest), 2 (bilinear), 3 (bicubic); resize_mode shortest, squash or longest',
    });
  }
  checkPixels(result.data, input as Record<string, unknown>, file, maxPixels);
  return build(result.data, file);
}

/** Reads and validates a preprocessor_config.json or open_clip_config.json file (pixels bounded by `maxPixels`). */
export function readPreprocessorConfig(file: string, maxPixels?: number): PreprocessorConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${file}: cannot read preprocessor config: ${jsonErrorReason(e)}`);
  }
  return parsePreprocessorConfig(json, file, maxPixels);
}
