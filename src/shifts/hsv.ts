/**
 * skimage.color.rgb2hsv / hsv2rgb on one pixel, all values in [0, 1]. Ties in the maximum
 * resolve as skimage's masks overwrite each other: blue over green over red.
 */
export function rgbToHsv(r: number, g: number, b: number, out: Float64Array): void {
  const v = Math.max(r, g, b);
  const delta = v - Math.min(r, g, b);
  out[2] = v;
  out[1] = v === 0 ? 0 : delta / v;
  if (delta === 0) {
    out[0] = 0;
    return;
  }
  let h: number;
  if (b === v) h = 4 + (r - g) / delta;
  else if (g === v) h = 2 + (b - r) / delta;
  else h = (g - b) / delta;
  h /= 6;
  out[0] = h - Math.floor(h); // Python's % 1: always in [0, 1)
}

/** skimage.color.hsv2rgb of one pixel into `out` (r, g, b). */
export function hsvToRgb(h: number, s: number, v: number, out: Float64Array): void {
  const hi6 = Math.floor(h * 6);
  const f = h * 6 - hi6;
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  const sector = ((hi6 % 6) + 6) % 6;
  const rgb = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][sector];
  out[0] = rgb[0];
  out[1] = rgb[1];
  out[2] = rgb[2];
}

/** Applies `edit` to every pixel in HSV space (x in [0, 1], interleaved RGB), in place. */
export function mapHsv(data: Float64Array, edit: (hsv: Float64Array) => void): void {
  const hsv = new Float64Array(3);
  const rgb = new Float64Array(3);
  for (let i = 0; i < data.length; i += 3) {
    rgbToHsv(data[i], data[i + 1], data[i + 2], hsv);
    edit(hsv);
    hsvToRgb(hsv[0], hsv[1], hsv[2], rgb);
    data[i] = rgb[0];
    data[i + 1] = rgb[1];
    data[i + 2] = rgb[2];
  }
}
