import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { C_GRID, probeAccuracy, trainProbe } from '../../src/probe/sweep.js';
import type { ProbeData } from '../../src/probe/logisticRegression.js';

// The full-train probe protocol against the same protocol in scikit-learn 1.2.1
// (scripts/reference/probe_sklearn.py, fixture `full`): fits run to convergence on both sides
// (≈100 s here, so it lives with the integration tests; the 8-shot case is in test/probe).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/probe/embeddings.json', import.meta.url), 'utf8'));
const sk = JSON.parse(readFileSync(new URL('../fixtures/probe/sklearn.json', import.meta.url), 'utf8'));
const load = (p: { xFloat32Base64: string; y: number[] }): ProbeData => {
  const b = Buffer.from(p.xFloat32Base64, 'base64');
  return { x: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)), y: Int32Array.from(p.y), dim: fixture.dim };
};

describe('linear probe protocol vs scikit-learn (full train split)', () => {
  it('picks the same C and scores test top-1 within 0.5 pt', async () => {
    const fit = await trainProbe(load(fixture.train), { numClasses: fixture.train.classNames.length, seed: 0, tol: 1e-6, maxIter: 20000 });
    expect(fit.c).toBe(C_GRID[sk.full.cIndex]);
    expect(Math.abs(probeAccuracy(fit.model, load(fixture.test)) - sk.full.testAcc1)).toBeLessThanOrEqual(0.005);
  }, 900_000);
});
