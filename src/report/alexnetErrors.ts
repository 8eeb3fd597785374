/**
 * ImageNet-C normaliser (Hendrycks & Dietterich, ICLR 2019, "Benchmarking Neural Network
 * Robustness to Common Corruptions and Perturbations"): AlexNet's top-1 error on each of the 15
 * benchmark corruptions, averaged over severities 1–5, as published in hendrycks/robustness and
 * reused verbatim by augmix and timm. Source and notes: data/reference/imagenet-c-alexnet-errors.md.
 */
export const ALEXNET_MEAN_ERRORS: Readonly<Record<string, number>> = {
  gaussian_noise: 0.886428,
  shot_noise: 0.894468,
  impulse_noise: 0.92264,
  defocus_blur: 0.81988,
  glass_blur: 0.826268,
  motion_blur: 0.785948,
  zoom_blur: 0.79836,
  snow: 0.866816,
  frost: 0.826572,
  fog: 0.819324,
  brightness: 0.564592,
  contrast: 0.853204,
  elastic_transform: 0.646056,
  pixelate: 0.71784,
  jpeg_compression: 0.6065,
};

/** AlexNet's clean ImageNet top-1 error as the paper prints it (43.5 %, rounded to 0.1 points). */
export const ALEXNET_CLEAN_ERROR = 0.435;

/** The 15 corruptions mCE averages over, in the paper's order (noise, blur, weather, digital). */
export const BENCHMARK_CORRUPTIONS: readonly string[] = Object.keys(ALEXNET_MEAN_ERRORS);

/** The four held-out corruptions, reported per corruption but outside mCE. */
export const HELD_OUT_CORRUPTIONS: readonly string[] = ['speckle_noise', 'gaussian_blur', 'spatter', 'saturate'];
