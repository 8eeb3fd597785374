/** A decoded 8-bit RGB image, interleaved: data.length === width * height * 3. */
export interface RawImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Allocates a zeroed RawImage. */
export function makeRawImage(width: number, height: number): RawImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}
