import { describe, expect, it } from 'vitest';
import { isZeroshiftError } from '../../src/errors.js';
import { isInside, resolveInside, unsafeRelativePath } from '../../src/util/containedPath.js';

describe('unsafeRelativePath', () => {
  it('accepts plain relative paths', () => {
    for (const p of ['a', 'onnx/model.onnx', 'x.predictions.jsonl', 'a..b/c', '...']) expect(unsafeRelativePath(p)).toBeUndefined();
  });
  it('refuses every way out of a directory', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'], ['..', '..'], ['a/../../x', '..'], ['onnx/text_model.onnx_data/../../../x', '..'], ['/etc/passwd', 'absolute'],
      ['C:x', 'absolute'], ['a\\..\\b', 'backslash'], ['a\0b', 'control'], ['a//b', 'empty'], ['./a', "'.'"], ['a/', 'empty'],
    ];
    for (const [p, why] of cases) expect(unsafeRelativePath(p), p).toContain(why);
  });
});

describe('resolveInside', () => {
  it('resolves inside the directory', () => {
    expect(resolveInside('/d', 'a/b.json', { source: 'f', key: 'k' })).toBe('/d/a/b.json');
    expect(isInside('/d', '/d/x')).toBe(true);
    expect(isInside('/d', '/d')).toBe(true);
    expect(isInside('/d', '/dx')).toBe(false);
    expect(isInside('/d', '/')).toBe(false);
  });
  it('throws naming the file, key and value', () => {
    let e: unknown;
    try {
      resolveInside('/d', '../v/secret', { source: '/d/r.json', key: 'predictionsFile' });
    } catch (x) {
      e = x;
    }
    expect(isZeroshiftError(e) && e.code).toBe('INPUT');
    expect((e as Error).message).toMatch(/\/d\/r\.json: predictionsFile "\.\.\/v\/secret" is not a path inside \/d/);
  });
});
