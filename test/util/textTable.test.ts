import { describe, it, expect } from 'vitest';
import { textTable } from '../../src/util/textTable.js';

describe('textTable', () => {
  it('pads columns to their widest cell, right-aligns from the given column, and trims line ends', () => {
    const t = textTable(['name', 'n'], [['a', '5'], ['longer', '100']], 1);
    expect(t).toBe(['name      n', '------  ---', 'a         5', 'longer  100'].join('\n'));
  });

  it('left-aligns everything by default', () => {
    expect(textTable(['x', 'yy'], [['abc', '1']])).toBe(['x    yy', '---  --', 'abc  1'].join('\n'));
  });
});
