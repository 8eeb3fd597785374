import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { maxThreads, runtimeOptionsFrom } from '../../src/cli/modelOptions.js';

describe('--threads limit', () => {
  it('refuses thousands of threads with exit-2 input error naming the limit', () => {
    const max = 4 * availableParallelism();
    expect(() => runtimeOptionsFrom({ threads: '2000' })).toThrow(new RegExp(`--threads 2000 is over the limit of ${max} \\(4 per CPU here; ZEROSHIFT_MAX_THREADS raises it\\)`));
    expect(runtimeOptionsFrom({ threads: String(max) }).threads).toBe(max);
  });

  it('takes a raised limit from ZEROSHIFT_MAX_THREADS', () => {
    expect(maxThreads('5000')).toBe(5000);
    expect(maxThreads('junk')).toBe(4 * availableParallelism());
  });
});
