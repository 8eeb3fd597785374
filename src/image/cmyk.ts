/** PIL's CMYK → RGB conversion (libImaging/Convert.c cmyk2rgb): no ICC profile is applied. */

/** (a · b) / 255 rounded, with PIL's MULDIV255 integer trick. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/**
 * Converts `pixels` CMYK pixels (ink values, `channels` ≥ 4 per pixel, extra channels ignored)
 * to 8-bit interleaved RGB.
 */
export function cmykToRgb(cmyk: Uint8Array, pixels: number, channels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let i = 0, p = 0, q = 0; i < pixels; i++, p += channels, q += 3) {
    const nk = 255 - cmyk[p + 3];
    out[q] = nk - mulDiv255(cmyk[p], nk);
    out[q + 1] = nk - mulDiv255(cmyk[p + 1], nk);
    out[q + 2] = nk - mulDiv255(cmyk[p + 2], nk);
  }
  return out;
}
