/**
 * torchvision `CenterCrop` on a PIL image, as openai/CLIP preprocesses: zero padding when the
 * crop is larger than the image, then offsets rounded with Python's round-half-to-even.
 */
import { makeRawImage, type RawImage } from '../image/rawImage.js';

/** Python 3 `round(x)` for x = k / 2: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5) return r % 2 === 0 ? r : r - 1;
  return r;
}

/** Copies a width×height window whose top-left is (left, top); outside the source is black. */
export function cropWindow(img: RawImage, left: number, top: number, width: number, height: number): RawImage {
  const out = makeRawImage(width, height);
  for (let y = 0; y < height; y++) {
    const sy = y + top;
    if (sy < 0 || sy >= img.height) continue;
    const x0 = Math.max(0, -left);
    const x1 = Math.min(width, img.width - left);
    if (x1 <= x0) continue;
    const src = (sy * img.width + left + x0) * 3;
    out.data.set(img.data.subarray(src, src + (x1 - x0) * 3), (y * width + x0) * 3);
  }
  return out;
}

/**
 * Where torchvision's center crop takes a width×height window from a srcWidth×srcHeight image:
 * the window's top-left; negative or past the far edge when the crop pads.
 */
export function centerCropOffset(srcWidth: number, srcHeight: number, width: number, height: number): { left: number; top: number } {
  // torchvision pads left/top by floor(diff/2) and right/bottom by ceil(diff/2) first.
  const padLeft = width > srcWidth ? Math.floor((width - srcWidth) / 2) : 0;
  const padTop = height > srcHeight ? Math.floor((height - srcHeight) / 2) : 0;
  const paddedW = width > srcWidth ? width : srcWidth;
  const paddedH = height > srcHeight ? height : srcHeight;
  return { left: roundHalfEven((paddedW - width) / 2) - padLeft, top: roundHalfEven((paddedH - height) / 2) - padTop };
}

/**
 * torchvision.transforms.functional.center_crop for a PIL image of 8-bit RGB.
 * @returns a new (height, width) image; the input itself when the size already matches.
 */
export function centerCrop(img: RawImage, width: number, height: number): RawImage {
  if (img.width === width && img.height === height) return img;
  const { left, top } = centerCropOffset(img.width, img.height, width, height);
  return cropWindow(img, left, top, width, height);
}
