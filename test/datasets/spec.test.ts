import { describe, expect, it } from 'vitest';
import { formatDatasetSpec, parseDatasetSpec } from '../../src/datasets/spec.js';
import { listAdapters, openDataset } from '../../src/datasets/registry.js';

describe('parseDatasetSpec', () => {
  it('splits adapter, arg and options, percent-decoding', () => {
    expect(parseDatasetSpec('csv:/data/a%3Fb.csv?path-column=file&label-column=y%26z')).toEqual({
      adapter: 'csv', arg: '/data/a?b.csv', options: { 'path-column': 'file', 'label-column': 'y&z' },
    });
    expect(parseDatasetSpec('shapes:dark?n=1000&seed=0&task=shape').options).toEqual({ n: '1000', seed: '0', task: 'shape' });
  });

  it('round-trips through formatDatasetSpec with sorted options', () => {
    const s = parseDatasetSpec('npy:/d/x%25?severity=3&corruption=fog');
    expect(formatDatasetSpec(s)).toBe('npy:/d/x%25?corruption=fog&severity=3');
    expect(parseDatasetSpec(formatDatasetSpec(s))).toEqual(s);
  });

  it('errors on malformed specs, listing known adapters', () => {
    expect(() => parseDatasetSpec('/data/pets', ['folder', 'wds'])).toThrow(/not of the form adapter:arg\?key=value; known adapters: folder, wds/);
    expect(() => parseDatasetSpec('zip:/x', ['folder', 'wds'])).toThrow(/unknown dataset adapter 'zip'; known: folder, wds/);
    expect(() => parseDatasetSpec('folder:/x?a=1&a=2')).toThrow(/option 'a' given twice/);
    expect(() => parseDatasetSpec('folder:/x?flag')).toThrow(/option 'flag' is not key=value/);
  });
});

describe('adapter registry', () => {
  it('documents every adapter and opens through the registry', async () => {
    for (const a of listAdapters()) {
      expect(a.format.length).toBeGreaterThan(40);
      expect(parseDatasetSpec(a.example).adapter).toBe(a.id);
    }
    await expect(openDataset('nope:/x')).rejects.toThrow(/unknown dataset adapter 'nope'(; did you mean '[a-z-]+'\?)?; known: .*folder/);
    await expect(openDataset('folder:/definitely/not/here')).rejects.toThrow(/image folder '\/definitely\/not\/here' does not exist/);
  });
});
