import type { RawImage } from '../image/rawImage.js';
import { createRng, hashString32 } from '../util/rng.js';
import { Registry } from '../util/registry.js';
import { parseNamedSeverity } from './severity.js';
import { defocusBlur, gaussianBlur, motionBlur } from './blur.js';
import { brightness, contrast, saturate } from './color.js';
import { jpegCompression, pixelate } from './digital.js';
import { elasticTransform } from './elastic.js';
import { fog } from './fog.js';
import { frost } from './frost.js';
import { glassBlur } from './glass.js';
import { gaussianNoise, impulseNoise, shotNoise, speckleNoise } from './noise.js';
import { snow } from './snow.js';
import { spatter } from './spatter.js';
import { resolveShiftParams } from './paramSets.js';
import type { Corruption, Severity, ShiftAssets, ShiftRequest } from './types.js';
import { zoomBlur } from './zoom.js';

export { SEVERITIES } from './types.js';

const CORRUPTIONS = new Registry<Corruption>('corruption');
for (const c of [
  gaussianNoise, shotNoise, impulseNoise, speckleNoise,
  gaussianBlur, defocusBlur, glassBlur, motionBlur, zoomBlur,
  brightness, fog, snow, frost, spatter,
  contrast, saturate, jpegCompression, pixelate, elasticTransform,
]) CORRUPTIONS.register(c.id, c);

/** The corruption `id`; an unknown id throws, listing the known ones. */
export function getCorruption(id: string): Corruption {
  return CORRUPTIONS.get(id);
}

/** All corruptions in registration order (noise, blur, weather, digital). */
export function listCorruptions(): Corruption[] {
  return CORRUPTIONS.entries().map(([, c]) => c);
}

/** Parses `gaussian_noise:3` (severity required, 1–5). */
export function parseShift(text: string): ShiftRequest {
  const { name, severity } = parseNamedSeverity(text, { what: 'shift', placeholder: 'corruption', example: 'gaussian_noise:3', listed: 'corruptions', registry: CORRUPTIONS });
  return { corruption: name, severity };
}

/** Seed of the noise for one (sample, corruption, severity): runs repeat bit for bit. */
export function corruptionSeed(sampleId: string, corruption: string, severity: Severity): number {
  return hashString32(`${corruption}:${severity}:${sampleId}`);
}

/**
 * Applies a shift to decoded pixels, seeded from the sample id, with the parameter set the
 * request names (`request.params`), or else the published set made for the image's size. Asynchronous because
 * jpeg_compression goes through sharp; every other corruption runs synchronously inside.
 * `assets` carries what frost needs (its photographs); without them frost throws, saying
 * how to get them. Returns a new image of the same size; the input is not modified.
 */
export async function applyShift(image: RawImage, request: ShiftRequest, sampleId: string, assets?: ShiftAssets): Promise<RawImage> {
  const c = getCorruption(request.corruption);
  const rng = createRng(corruptionSeed(sampleId, request.corruption, request.severity));
  const params = resolveShiftParams(request.params ?? 'auto', image);
  return c.applyAsync ? c.applyAsync(image, request.severity, rng, params, assets) : c.apply(image, request.severity, rng, params, assets);
}
