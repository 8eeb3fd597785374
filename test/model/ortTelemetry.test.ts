import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../../src/model/modelFiles.js';
import { openGraph } from '../../src/model/onnxTower.js';

// Each test file runs in its own process (pool: forks), and ONNX Runtime sets up telemetry with
// its environment at the first session of the process: this file must create that first session.
const cache = mkdtempSync(join(tmpdir(), 'zs-xdg-'));
const before = process.env.XDG_CACHE_HOME;
process.env.XDG_CACHE_HOME = cache;
afterAll(() => {
  if (before === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = before;
  rmSync(cache, { recursive: true, force: true });
});

describe('ONNX Runtime telemetry', () => {
  it('is off: nothing is written under $XDG_CACHE_HOME (its set-up also read /proc/self/cmdline and segfaulted past ~30 KB)', async () => {
    const vision = join(DEFAULT_MODEL_DIR, 'onnx/vision_model.onnx');
    expect(existsSync(vision)).toBe(true);
    const session = await openGraph(vision, { threads: 1 });
    expect(readdirSync(cache)).toEqual([]);
    expect(process.env.ORT_DISABLE_TELEMETRY).toBe('1');
    await session.release();
  });
});
