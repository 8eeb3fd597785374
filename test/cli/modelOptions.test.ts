import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { maxThreads, resolveParallelism, runtimeOptionsFrom } from '../../src/cli/modelOptions.js';
import { ZeroshiftError } from '../../src/errors.js';

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

describe('--threads and --decode-workers', () => {
  const twoCores = { logical: 2, physical: 2 };
  const smt = { logical: 16, physical: 8 };
  const unknown = { logical: 4, physical: undefined };

  it('give inference one thread per physical core and decode workers the CPUs left', () => {
    expect(resolveParallelism({}, twoCores)).toEqual({ threads: 2, decodeWorkers: 0 });
    expect(resolveParallelism({ threads: 'auto', decodeWorkers: 'auto' }, smt)).toEqual({ threads: 8, decodeWorkers: 8 });
    expect(resolveParallelism({ threads: '1' }, twoCores)).toEqual({ threads: 1, decodeWorkers: 1 });
    // Explicit workers take their cores from auto threads, never below one thread.
    expect(resolveParallelism({ decodeWorkers: '3' }, smt)).toEqual({ threads: 5, decodeWorkers: 3 });
    expect(resolveParallelism({ decodeWorkers: '4' }, twoCores)).toEqual({ threads: 1, decodeWorkers: 4 });
    expect(resolveParallelism({ threads: '2', decodeWorkers: '0' }, twoCores)).toEqual({ threads: 2, decodeWorkers: 0 });
  });

  it('leave threads to ONNX Runtime where the topology is unknown, and then start no workers unasked', () => {
    expect(resolveParallelism({}, unknown)).toEqual({ threads: 0, decodeWorkers: 0 });
    expect(resolveParallelism({ threads: '0', decodeWorkers: 'auto' }, smt)).toEqual({ threads: 0, decodeWorkers: 0 });
    expect(resolveParallelism({ decodeWorkers: '2' }, unknown)).toEqual({ threads: 0, decodeWorkers: 2 });
  });

  it('with --device cuda, give every CPU but the one driving the GPU to the workers', () => {
    expect(resolveParallelism({ device: 'cuda' }, smt)).toEqual({ threads: 8, decodeWorkers: 15 });
  });

  it('refuse values that are not auto or a count, and absurd worker counts', () => {
    expect(() => resolveParallelism({ threads: 'many' }, twoCores)).toThrow(/--threads must be 'auto' or a non-negative integer, got 'many'/);
    expect(() => resolveParallelism({ decodeWorkers: '-1' }, twoCores)).toThrow(/--decode-workers must be 'auto' or a non-negative integer, got '-1'/);
    expect(() => resolveParallelism({ decodeWorkers: '1.5' }, twoCores)).toThrow(ZeroshiftError);
    expect(() => resolveParallelism({ decodeWorkers: '100000' }, twoCores)).toThrow(/--decode-workers 100000 is over the limit of \d+/);
  });
});
