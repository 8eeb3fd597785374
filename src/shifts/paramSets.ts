/**
 * Version of the corruptions' pixels, part of every shifted embedding's cache key: bump it when
 * any corruption's output changes. 2: issue 25 (ImageNet-C's exact defocus disk; published
 * parameter sets chosen by image size). 3: snow draws its whole noise field and zooms the
 * centre, in numpy's draw order (other flakes for the same seed, the same distribution).
 */
export const CORRUPTIONS_VERSION = 3;

/**
 * The corruption parameter sets. Three are published, each by its own generator in
 * hendrycks/robustness ImageNet-C/create_c and each for one image side: ImageNet-C
 * (make_imagenet_c.py, 224 px), Tiny-ImageNet-C (make_tinyimagenet_c.py, 64 px) and CIFAR-10-C
 * (make_cifar_c.py, 32 px). `scaled` is zeroshift's own: ImageNet-C's numbers with every length
 * multiplied by side/224, for sizes that have no published set.
 */
export const SHIFT_PARAM_SETS = ['imagenet-c', 'tiny-imagenet-c', 'cifar-10-c', 'scaled'] as const;
export type ShiftParamSetId = (typeof SHIFT_PARAM_SETS)[number];
export type PublishedParamSet = Exclude<ShiftParamSetId, 'scaled'>;
/** `--shift-params`: a set, or `auto` (the published set for the image's side, else `scaled`). */
export type ShiftParamsChoice = ShiftParamSetId | 'auto';
export const SHIFT_PARAMS_CHOICES: readonly ShiftParamsChoice[] = ['auto', ...SHIFT_PARAM_SETS];

/** The square side each published generator was written for. */
export const PUBLISHED_SIDE: Readonly<Record<PublishedParamSet, number>> = { 'imagenet-c': 224, 'tiny-imagenet-c': 64, 'cifar-10-c': 32 };

/** What a corruption reads for one image: the set used, its table, and the factor for lengths in pixels. */
export interface ShiftParams {
  set: ShiftParamSetId;
  /** Whose constants: the published set itself, or ImageNet-C's for `scaled`. */
  table: PublishedParamSet;
  /** Multiplies every length in pixels: 1 for a published set (its numbers as published), side/224 for `scaled`. */
  scale: number;
}

/** The set `auto` picks for an image: the published set made at its size (square), else `scaled`. */
export function autoParamSet(image: { width: number; height: number }): ShiftParamSetId {
  if (image.width === image.height) {
    for (const [set, side] of Object.entries(PUBLISHED_SIDE) as [PublishedParamSet, number][]) if (side === image.width) return set;
  }
  return 'scaled';
}

/** The parameters of `choice` for one image (`auto` resolved by its size). */
export function resolveShiftParams(choice: ShiftParamsChoice, image: { width: number; height: number }): ShiftParams {
  const set = choice === 'auto' ? autoParamSet(image) : choice;
  if (set === 'scaled') return { set, table: 'imagenet-c', scale: Math.min(image.width, image.height) / 224 };
  return { set, table: set, scale: 1 };
}

/** One row of a per-set table: `tables[params.table][severity − 1]`. */
export function row<T>(tables: Readonly<Record<PublishedParamSet, readonly T[]>>, params: ShiftParams, severity: number): T {
  return tables[params.table][severity - 1];
}

/**
 * A shift as results record it: the parameter set is written even when implicit ('auto', resolved
 * per image by its size), so a result says which rule made its images.
 */
export function recordedShift<S extends { params?: ShiftParamSetId }>(shift: S | null): (S & { params: ShiftParamsChoice }) | null {
  return shift ? { ...shift, params: shift.params ?? 'auto' } : null;
}
