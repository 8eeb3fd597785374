import type { RawImage } from '../image/rawImage.js';
import type { Rng } from '../util/rng.js';
import type { ShiftParams, ShiftParamSetId } from './paramSets.js';

export type Severity = 1 | 2 | 3 | 4 | 5;

/** Valid severities, ImageNet-C's 1 (mild) to 5 (severe); text shifts use the same scale. Here, not in registry.ts, so the CLI's start-up (text shift flags) loads no corruption code. */
export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4, 5];

/**
 * An ImageNet-C style corruption, applied to decoded 8-bit RGB pixels before
 * preprocessing. Deterministic: the caller seeds `rng` from (sample id, corruption, severity).
 */
export interface Corruption {
  id: string; // kebab/snake id as in ImageNet-C, e.g. `gaussian_noise`
  family: 'noise' | 'blur' | 'weather' | 'digital';
  summary: string;
  /** Human-readable parameters per severity 1..5, for the docs table. */
  parameters: readonly string[];
  /** Set when the corruption needs files the user supplies (frost: ImageNet-C's photographs). */
  needsAssets?: 'frost';
  /** `params`: which published table, and the factor for lengths (`resolveShiftParams`). */
  apply(image: RawImage, severity: Severity, rng: Rng, params: ShiftParams, assets?: ShiftAssets): RawImage;
  /**
   * Present when the corruption needs an asynchronous codec (jpeg_compression encodes with
   * sharp); its `apply` then throws, and callers go through the registry's async `applyShift`.
   */
  applyAsync?(image: RawImage, severity: Severity, rng: Rng, params: ShiftParams, assets?: ShiftAssets): Promise<RawImage>;
}

/** ImageNet-C's frost photographs, decoded to RGB in frost1 … frost6 order (PNG alpha dropped, as cv2.imread does). */
export interface FrostPhotos {
  dir: string;
  images: RawImage[];
}

/**
 * Files some corruptions need, loaded once per run (`loadShiftAssets`) and passed down with
 * the run's settings; a corruption whose asset is absent throws and says how to get it.
 */
export interface ShiftAssets {
  frost?: FrostPhotos | null;
}

/** A shift requested on the command line: `gaussian_noise:3`. */
export interface ShiftRequest {
  corruption: string;
  severity: Severity;
  /** `--shift-params` when given; absent means auto (the published set for the image's size, else scaled). */
  params?: ShiftParamSetId;
}
