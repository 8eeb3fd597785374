import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { cli } from '../helpers/cli.js';
import { resultSchema, type Result } from '../../src/results/schema.js';
import { runProvenance } from '../../src/eval/provenance.js';

async function results(dir: string): Promise<Result[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  return Promise.all(files.map(async (f) => resultSchema.parse(JSON.parse(await readFile(join(dir, f), 'utf8')))));
}

describe('provenance in every result', () => {
  it('records the suite and its file hash, device, threads, batch size, EXIF rotation and versions', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-prov-'));
    const suite = join(tmp, 'mini.json');
    const text = JSON.stringify({ schemaVersion: 1, name: 'mini', models: ['tiny-clip-shapes'], datasets: [{ spec: 'shapes:dark?n=6' }], prompts: ['shapes-shape'] });
    await writeFile(suite, text);
    const out = join(tmp, 'out');
    const r = await cli(['eval', '--suite', suite, '--out', out, '--cache-dir', join(tmp, 'c'), '--no-progress', '--threads', '1', '--batch-size', '4', '--exif-rotate']);
    expect(r.code, r.stderr).toBe(0);
    const [res] = await results(out);
    expect(res.provenance).toMatchObject({
      suite: { name: 'mini', file: suite, sha256: createHash('sha256').update(text).digest('hex') },
      device: { requested: 'cpu', used: 'cpu' }, threads: 1, batchSize: 4, exifRotate: true,
      versions: { node: process.version, onnxruntime: expect.stringMatching(/^\d+\.\d+\.\d+$/), sharp: expect.stringMatching(/^\d+\.\d+\.\d+/) },
    });
    // Run from this checkout: the commit is recorded.
    expect(res.provenance!.gitCommit).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
  });

  it('reads the git commit without blocking the event loop, so it runs beside the start-up (its git calls were synchronous)', async () => {
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    const p = await runProvenance({ suite: null, device: { requested: 'cpu', used: 'cpu' }, threads: 1, batchSize: 1, exifRotate: false });
    clearInterval(timer);
    expect(p.gitCommit).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
    expect(turns).toBeGreaterThan(0);
  });

  it('--device cuda without a CUDA provider warns once and records the CPU fallback', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-cuda-'));
    const out = join(tmp, 'out');
    const args = ['eval', '--dataset', 'shapes:dark?n=6', '--dataset', 'shapes:sketch?n=6', '--model', 'tiny-clip-shapes', '--model', 'tiny-clip-shapes-robust', '--device', 'cuda', '--out', out, '--cache-dir', join(tmp, 'c'), '--no-progress'];
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    const cudaLines = r.stderr.split('\n').filter((l) => /cuda/i.test(l) && !l.includes(tmp));
    const all = await results(out);
    const used = all[0].provenance!.device.used;
    if (used === 'cpu') {
      expect(cudaLines, r.stderr).toHaveLength(1);
      for (const res of all) expect(res.provenance!.device).toMatchObject({ requested: 'cuda', used: 'cpu', fallbackReason: expect.any(String) });
    } else {
      // A machine with a working CUDA provider: no warning, and CUDA recorded.
      expect(cudaLines).toHaveLength(0);
      for (const res of all) expect(res.provenance!.device).toEqual({ requested: 'cuda', used: 'cuda' });
    }
  });
});
