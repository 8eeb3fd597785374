import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../src/util/shellQuote.js';

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('--out')).toBe('--out');
    expect(shellQuote('results/a-b_c.json')).toBe('results/a-b_c.json');
    expect(shellQuote('my results')).toBe("'my results'");
    expect(shellQuote('')).toBe("''");
  });

  it('round-trips through a real shell: spaces, &, ;, $, quotes and newlines stay one argument each', () => {
    const argv = ['eval', '--out', 'a b & rm -rf x', "it's", '$HOME', 'x;y', 'line\nbreak', '*', ''];
    const printed = execFileSync('sh', ['-c', `for a in ${shellCommand(argv)}; do printf '%s\\0' "$a"; done`]).toString();
    expect(printed.split('\0').slice(0, -1)).toEqual(argv);
  });
});
