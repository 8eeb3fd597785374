import { describe, expect, it } from 'vitest';
import { noiseImage } from '../helpers/images.js';
import { centerCrop, centerCropOffset } from '../../src/model/centerCrop.js';
import { pilResize, pilResizeBox } from '../../src/model/pilResize.js';
import { createRng } from '../../src/util/rng.js';

describe('pilResizeBox', () => {
  it('equals the full resize cut by the center crop, for down- and upscaling, kept axes and every filter', () => {
    const rng = createRng(7);
    let cases = 0;
    for (let t = 0; t < 120; t++) {
      const src = noiseImage(rng.int(1, 90), rng.int(1, 90), t);
      const [w, h] = t % 7 === 0 ? [src.width, rng.int(1, 80)] : t % 11 === 0 ? [rng.int(1, 80), src.height] : [rng.int(1, 80), rng.int(1, 80)];
      const [cw, ch] = [rng.int(1, w), rng.int(1, h)];
      const { left, top } = centerCropOffset(w, h, cw, ch);
      for (const resample of [0, 2, 3]) {
        const box = pilResizeBox(src, w, h, resample, { left, top, width: cw, height: ch });
        const full = centerCrop(pilResize(src, w, h, resample), cw, ch);
        expect([box.width, box.height]).toEqual([cw, ch]);
        expect(Buffer.from(box.data).equals(Buffer.from(full.data)), `${src.width}x${src.height} -> ${w}x${h} crop ${cw}x${ch} filter ${resample}`).toBe(true);
        cases++;
      }
    }
    expect(cases).toBe(360);
  });

  it('refuses a box outside the resized image', () => {
    expect(() => pilResizeBox(noiseImage(10, 10, 1), 8, 8, 3, { left: 1, top: 0, width: 8, height: 8 })).toThrow(/box 8x8\+1\+0 is not inside 8x8/);
  });
});
