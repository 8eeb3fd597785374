import type { Rng } from '../../src/util/rng.js';

/**
 * numpy's legacy global generator (`np.random.seed(s)`, numpy ≥ 1.17's RandomState over MT19937)
 * as a zeroshift Rng, so a published generator's whole run is replayed from its seed alone:
 * - seeding an int is MT19937's init_genrand(s);
 * - `random_sample`/`uniform(lo, hi)`: 53-bit doubles from two 32-bit words
 *   ((a >> 5) · 2^26 + (b >> 6)) / 2^53, and lo + (hi − lo) · u;
 * - `randint(lo, hi)` (hi exclusive; zeroshift's `int(lo, hi − 1)`): 32-bit words masked to the
 *   next power of two above hi − lo − 1, rejected until in range (legacy is masked, not Lemire);
 * - `normal()`: the legacy polar method, which caches the second value of each pair.
 * Written from numpy's documented algorithms (random/src/mt19937, distributions/legacy) for the
 * tests that replay make_imagenet_c.py's draws.
 */
export function numpyRandomState(seed: number): Rng & { uint32(): number } {
  const mt = new Uint32Array(624);
  let index = 624;
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
    // 1812433253 · prev + i in 32 bits, split to stay exact in doubles
    mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
  }
  const twist = (): void => {
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    index = 0;
  };
  const uint32 = (): number => {
    if (index >= 624) twist();
    let y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
  const double = (): number => {
    const a = uint32() >>> 5;
    const b = uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * double() - 1;
      x2 = 2 * double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    spare = f * x1;
    return f * x2;
  };
  const int = (lo: number, hi: number): number => {
    const range = hi - lo;
    if (range === 0) return lo;
    let mask = range;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let v: number;
    do v = (uint32() & mask) >>> 0;
    while (v > range);
    return lo + v;
  };
  return {
    next: double,
    uniform: (lo, hi) => lo + (hi - lo) * double(),
    int,
    normal,
    poisson: () => { throw new Error('numpyRandomState: poisson is not replicated'); },
    uint32,
  };
}
