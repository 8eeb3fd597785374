import { describe, expect, it } from 'vitest';
import { autoParamSet, resolveShiftParams, SHIFT_PARAMS_CHOICES } from '../../src/shifts/paramSets.js';
import { applyShift } from '../../src/shifts/registry.js';
import { shiftInfoSchema } from '../../src/results/schema.js';
import { testImages } from './helpers.js';

describe('corruption parameter sets', () => {
  it('auto picks the published set made at the image size, else scaled', () => {
    expect(autoParamSet({ width: 224, height: 224 })).toBe('imagenet-c');
    expect(autoParamSet({ width: 64, height: 64 })).toBe('tiny-imagenet-c');
    expect(autoParamSet({ width: 32, height: 32 })).toBe('cifar-10-c');
    expect(autoParamSet({ width: 64, height: 96 })).toBe('scaled');
    expect(autoParamSet({ width: 100, height: 100 })).toBe('scaled');
  });

  it('a published set is used as published (lengths ×1); scaled is ImageNet-C × side/224', () => {
    expect(resolveShiftParams('tiny-imagenet-c', { width: 300, height: 200 })).toEqual({ set: 'tiny-imagenet-c', table: 'tiny-imagenet-c', scale: 1 });
    expect(resolveShiftParams('imagenet-c', { width: 64, height: 64 })).toEqual({ set: 'imagenet-c', table: 'imagenet-c', scale: 1 });
    expect(resolveShiftParams('scaled', { width: 64, height: 128 })).toEqual({ set: 'scaled', table: 'imagenet-c', scale: 64 / 224 });
    expect(resolveShiftParams('auto', { width: 32, height: 32 })).toEqual({ set: 'cifar-10-c', table: 'cifar-10-c', scale: 1 });
    // at 224 px, scaled and imagenet-c are the same numbers
    expect(resolveShiftParams('scaled', { width: 224, height: 224 }).scale).toBe(1);
  });

  it("at 64 px the default is Tiny-ImageNet-C's gaussian_noise σ 0.04, not ImageNet-C's 0.08", async () => {
    const grey = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) };
    const sd = async (params?: 'imagenet-c' | 'tiny-imagenet-c'): Promise<number> => {
      const out = await applyShift(grey, { corruption: 'gaussian_noise', severity: 1, params }, 'grey');
      let s = 0;
      for (const v of out.data) s += (v + 0.5 - 128) ** 2; // truncation lowers values by 0.5 on average
      return Math.sqrt(s / out.data.length) / 255;
    };
    expect(await sd()).toBeCloseTo(0.04, 2);
    expect(await sd('tiny-imagenet-c')).toBeCloseTo(0.04, 2);
    expect(await sd('imagenet-c')).toBeCloseTo(0.08, 2);
  });

  // (brightness and contrast are the same numbers in Tiny-ImageNet-C as in ImageNet-C; saturate 5
  // (S·30 + 0.2 against S·20 + 0.2) saturates these flat-coloured shapes fully either way)
  it('every corruption runs under every set; published sets differ from scaled at 64 px', async () => {
    const [img] = testImages(1);
    for (const corruption of ['gaussian_blur', 'defocus_blur', 'motion_blur', 'glass_blur', 'zoom_blur', 'snow', 'spatter', 'elastic_transform', 'fog', 'pixelate', 'jpeg_compression', 'shot_noise', 'impulse_noise', 'speckle_noise']) {
      const auto = await applyShift(img, { corruption, severity: 5 }, 'x');
      const tiny = await applyShift(img, { corruption, severity: 5, params: 'tiny-imagenet-c' }, 'x');
      const scaled = await applyShift(img, { corruption, severity: 5, params: 'scaled' }, 'x');
      expect(Buffer.from(auto.data).equals(Buffer.from(tiny.data)), corruption).toBe(true);
      expect(Buffer.from(scaled.data).equals(Buffer.from(tiny.data)), corruption).toBe(false);
      await applyShift(img, { corruption, severity: 5, params: 'cifar-10-c' }, 'x');
      await applyShift(img, { corruption, severity: 1, params: 'imagenet-c' }, 'x');
    }
  });

  it('results record the set: the schema takes exactly the --shift-params choices', () => {
    const options = shiftInfoSchema.unwrap().shape.params.unwrap().options;
    expect([...options]).toEqual([...SHIFT_PARAMS_CHOICES]);
    expect(shiftInfoSchema.safeParse({ corruption: 'fog', severity: 3, params: 'tiny-imagenet-c' }).success).toBe(true);
    expect(shiftInfoSchema.safeParse({ corruption: 'fog', severity: 3, params: 'tiny' }).success).toBe(false);
    expect(shiftInfoSchema.safeParse({ corruption: 'fog', severity: 3 }).success).toBe(true); // written before sets existed
  });
});
