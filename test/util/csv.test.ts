import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { neutraliseCell, toCsv } from '../../src/util/csv.js';

describe('toCsv neutralises spreadsheet formulas (OWASP CSV injection)', () => {
  it("prefixes ' to text cells starting with = + - @ tab or CR", () => {
    for (const c of ['=1+1', '+1+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")', '-', '+']) expect(neutraliseCell(c), JSON.stringify(c)).toBe(`'${c}`);
  });
  it('leaves plain numbers (as numbers or text) and other text exactly as they are', () => {
    for (const c of ['-0.05', '+3', '-1e-4', '.5', '-.5', 'vit-b-32', "'=x", 'a=b', '']) expect(neutraliseCell(c)).toBe(c);
    const csv = toCsv([{ acc: -0.25, name: '-0.5', model: 'vit' }], { newline: '\n' });
    expect(csv).toBe('acc,name,model\n-0.25,-0.5,vit\n');
  });
  it('neutralises header cells too, and the text reads back with the prefix only', () => {
    const csv = toCsv([{ '=g': '@x', b: 1 }], { newline: '\n' });
    expect(csv).toBe(`"'=g",b\n"'@x",1\n`);
    expect(Papa.parse<string[]>(csv.trim()).data).toEqual([["'=g", 'b'], ["'@x", '1']]);
  });
});
