import { describe, expect, it } from 'vitest';
import { cropBorder } from '../../src/image/crop.js';
import { makeRawImage } from '../../src/image/rawImage.js';

describe('cropBorder', () => {
  it('keeps the box (b, b, w - b, h - b) as PIL ImageOps.crop does', () => {
    const img = makeRawImage(7, 6);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 7; x++) img.data.set([x, y, 10 * y + x], (y * 7 + x) * 3);
    const out = cropBorder(img, 2, 'x.png');
    expect([out.width, out.height]).toEqual([3, 2]);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 3; x++) expect([...out.data.subarray((y * 3 + x) * 3, (y * 3 + x) * 3 + 3)]).toEqual([x + 2, y + 2, 10 * (y + 2) + x + 2]);
    }
  });

  it('refuses an image with nothing left, naming it (the stream skips such items)', () => {
    expect(() => cropBorder(makeRawImage(4, 9), 2, 'thin.png')).toThrow(/thin\.png: 4x9 image is too small for the protocol's 2-pixel border crop/);
  });
});
