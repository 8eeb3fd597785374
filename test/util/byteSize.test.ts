import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../src/util/byteSize.js';

describe('parseByteSize', () => {
  it('reads decimal and binary units', () => {
    expect(parseByteSize('200GB')).toBe(200 * 1000 ** 3);
    expect(parseByteSize('2TB')).toBe(2 * 1000 ** 4);
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('512m')).toBe(512 * 1000 ** 2);
    expect(parseByteSize('1048576')).toBe(1024 * 1024);
  });

  it('refuses what is not a size', () => {
    for (const bad of ['', 'lots', '-5GB', '0', '5 parsecs', '1e99', '9999999999TB']) expect(parseByteSize(bad)).toBeUndefined();
  });
});
