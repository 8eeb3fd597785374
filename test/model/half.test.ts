import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from '../../src/model/half.js';

describe('binary16 conversion (float16 pixel inputs)', () => {
  it('encodes exact values, rounds half to even, saturates and flushes like numpy float16', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(70000)).toBe(0x7c00);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even mantissa (down)
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even mantissa (up)
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(2 ** -26)).toBe(0);
    expect(toHalfBits(NaN) & 0x7c00).toBe(0x7c00);
  });

  it('round-trips every finite half value', () => {
    for (let h = 0; h < 0x7c00; h += 7) {
      expect(toHalfBits(fromHalfBits(h))).toBe(h);
      expect(toHalfBits(fromHalfBits(h | 0x8000))).toBe(h | 0x8000);
    }
  });
});
