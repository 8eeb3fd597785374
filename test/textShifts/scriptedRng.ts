import type { Rng } from '../../src/util/rng.js';

/** An Rng that returns the given draws in order and fails the test when they run out or are left over. */
export function scriptedRng(draws: number[]): Rng & { left(): number } {
  let i = 0;
  const next = (): number => {
    if (i >= draws.length) throw new Error(`scripted rng: draw ${i + 1} asked, only ${draws.length} scripted`);
    return draws[i++];
  };
  const unused = (): never => {
    throw new Error('scripted rng: only next() is scripted');
  };
  return { next, uniform: unused, int: unused, normal: unused, poisson: unused, left: () => draws.length - i };
}
