import { describe, expect, it } from 'vitest';
import { applyShift, corruptionSeed, getCorruption, listCorruptions, parseShift, SEVERITIES } from '../../src/shifts/registry.js';
import { resolveShiftParams } from '../../src/shifts/paramSets.js';
import { sha256 } from '../../src/util/hash.js';
import { standInFrost, testImages } from './helpers.js';

const [img] = testImages(1);
const ids = listCorruptions().map((c) => c.id);
const assets = { frost: standInFrost() };

describe('shift registry', () => {
  it('lists the ImageNet-C corruptions with five parameter rows each', () => {
    const all = ['gaussian_noise', 'shot_noise', 'impulse_noise', 'speckle_noise', 'gaussian_blur', 'defocus_blur', 'glass_blur',
      'motion_blur', 'zoom_blur', 'brightness', 'fog', 'snow', 'frost', 'spatter', 'contrast', 'saturate', 'jpeg_compression',
      'pixelate', 'elastic_transform'];
    expect([...ids].sort()).toEqual([...all].sort());
    for (const id of all) expect(getCorruption(id).parameters).toHaveLength(5);
  });

  it('parses shifts and explains bad ones', () => {
    expect(parseShift('gaussian_noise:3')).toEqual({ corruption: 'gaussian_noise', severity: 3 });
    expect(() => parseShift('gaussian_noise:6')).toThrow(/severity 6 is invalid; valid: 1, 2, 3, 4, 5/);
    expect(() => parseShift('sleet:2')).toThrow(/unknown corruption 'sleet'; known: brightness, contrast/);
    expect(() => parseShift('gaussian_noise')).toThrow(/<corruption>:<severity>/);
  });

  it.each(ids)('%s: same id → identical bytes, same size, input untouched', async (id) => {
    const before = sha256(img.data);
    for (const severity of SEVERITIES) {
      const a = await applyShift(img, { corruption: id, severity }, 'shapes-standard-000001', assets);
      const b = await applyShift(img, { corruption: id, severity }, 'shapes-standard-000001', assets);
      expect(sha256(a.data)).toBe(sha256(b.data));
      expect([a.width, a.height, a.data.length]).toEqual([img.width, img.height, img.data.length]);
      expect(a.data).toBeInstanceOf(Uint8Array);
    }
    expect(sha256(img.data)).toBe(before);
  });

  it.each(['gaussian_noise', 'shot_noise', 'impulse_noise', 'speckle_noise', 'motion_blur', 'fog', 'glass_blur', 'snow', 'spatter', 'elastic_transform'])(
    '%s: different sample ids draw different randomness', async (id) => {
      const a = await applyShift(img, { corruption: id, severity: 5 }, 'a');
      const b = await applyShift(img, { corruption: id, severity: 5 }, 'b');
      expect(sha256(a.data)).not.toBe(sha256(b.data));
    });

  it('seeds differ per corruption and severity', () => {
    expect(corruptionSeed('x', 'fog', 1)).not.toBe(corruptionSeed('x', 'fog', 2));
    expect(corruptionSeed('x', 'fog', 1)).not.toBe(corruptionSeed('x', 'contrast', 1));
  });

  it('jpeg_compression has only an async path', () => {
    expect(() => getCorruption('jpeg_compression').apply(img, 1, {} as never, resolveShiftParams('auto', img))).toThrow(/applyShift/);
  });
});
