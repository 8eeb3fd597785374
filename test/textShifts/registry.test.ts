import { describe, expect, it } from 'vitest';
import { applyTextShift, listTextShifts, parseTextShift, textShifter } from '../../src/textShifts/registry.js';

describe('text shift registry', () => {
  it('has the ten shifts of Qiu et al. 2022 that nlpaug and EDA give', () => {
    expect(listTextShifts().map((s) => s.id)).toEqual(['typo', 'ocr', 'char_insert', 'char_replace', 'char_swap', 'char_delete', 'word_insert', 'word_swap', 'word_delete', 'synonym']);
  });

  it('parses NAME:SEVERITY', () => {
    expect(parseTextShift('typo:3')).toEqual({ name: 'typo', severity: 3 });
  });

  it('an unknown name lists the known ones; a severity outside 1–5 is refused', () => {
    expect(() => parseTextShift('tpyo:3')).toThrow(/unknown text shift 'tpyo'.*typo/s);
    expect(() => parseTextShift('typo:6')).toThrow(/severity 6 is invalid; valid: 1, 2, 3, 4, 5/);
    expect(() => parseTextShift('typo')).toThrow(/must look like <name>:<severity>/);
  });

  it('is seeded by (item, text, shift): reruns agree, another item draws anew', () => {
    const shift = parseTextShift('char_swap:5');
    const text = 'a photo of a lighthouse keeper standing near the harbour';
    const a = applyTextShift(text, shift, 'item-1', null);
    expect(applyTextShift(text, shift, 'item-1', null)).toBe(a);
    expect(a).not.toBe(text);
    const others = ['item-2', 'item-3', 'item-4', 'item-5'].map((i) => applyTextShift(text, shift, i, null));
    expect(others.some((o) => o !== a)).toBe(true);
  });

  it('a run without a text shift keeps texts as they are and opens no lexicon', () => {
    const shifter = textShifter(null, () => {
      throw new Error('lexicon opened');
    });
    expect(shifter('a goldfish', '0')).toBe('a goldfish');
  });
});
