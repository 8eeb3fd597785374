import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile, writeFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runPlan, type PlanOutcome } from '../../src/eval/runPlan.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import { memoryLogger } from '../../src/util/log.js';
import type { EvalUnit } from '../../src/tasks/unit.js';

const N = 40;
const unit: EvalUnit = { modelRef: 'tiny-clip-shapes', target: unknownTarget(`shapes:standard?n=${N}`), shift: null, promptSets: [], ensembling: 'clip' };

async function run(out: string, cacheDir: string | null): Promise<{ outcome: PlanOutcome; warnings: string[] }> {
  const log = memoryLogger();
  const outcome = await runPlan([unit], {
    outDir: out, cacheDir, batchSize: 16, decodeConcurrency: 2, exifRotate: false, skipExisting: false,
    argv: ['zeroshift', 'test'], log, model: {}, keepPredictions: true,
  });
  return { outcome, warnings: log.messages.filter((m) => m.level === 'warn').map((m) => m.message) };
}

/** Pack files of the (single) image-cache namespace under `cache`. */
async function packs(cache: string): Promise<string[]> {
  const [ns] = await readdir(join(cache, 'images'));
  const dir = join(cache, 'images', ns);
  return (await readdir(dir)).filter((f) => f.endsWith('.pack')).map((f) => join(dir, f));
}

describe('durability of results and cache', () => {
  it('a broken result file left in --out is reported and left out of index.csv; the run keeps its own results', async () => {
    const out = await mkdtemp(join(tmpdir(), 'zs-dur-out-'));
    const stranger = join(out, 'half-written.json');
    await writeFile(stranger, '{\n  "kind": "zeroshift-result",\n  "id": "abc", "metrics": {');
    const { outcome, warnings } = await run(out, null);
    expect(outcome.results).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('half-written.json'))).toHaveLength(1);
    const index = Papa.parse<Record<string, string>>(await readFile(join(out, 'index.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    expect(index.data.map((r) => r.result_id)).toEqual([outcome.results[0].id]);
  }, 30_000);

  it('a corrupted cache entry is reported once and recomputed; a torn tail is recomputed silently; metrics never change', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'zs-dur-cache-'));
    const first = await run(await mkdtemp(join(tmpdir(), 'zs-dur-out-')), cache);
    expect(first.outcome.results[0].timings.imagesComputed).toBe(N);

    const [pack] = await packs(cache);
    const bytes = await readFile(pack);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(pack, bytes);
    const corrupted = await run(await mkdtemp(join(tmpdir(), 'zs-dur-out-')), cache);
    expect(corrupted.warnings.filter((w) => /corrupt/.test(w))).toHaveLength(1);
    expect(corrupted.outcome.results[0].timings.imagesComputed).toBe(1);
    expect(corrupted.outcome.results[0].metrics).toEqual(first.outcome.results[0].metrics);
    expect(corrupted.outcome.predictions).toEqual(first.outcome.predictions);

    // Cut the newest pack mid-record, as a SIGKILL during an append would leave it.
    const all = await packs(cache);
    const sizes = await Promise.all(all.map(async (p) => (await stat(p)).size));
    const largest = all[sizes.indexOf(Math.max(...sizes))];
    await truncate(largest, Math.max(...sizes) - 100);
    const torn = await run(await mkdtemp(join(tmpdir(), 'zs-dur-out-')), cache);
    expect(torn.outcome.results[0].timings.imagesComputed).toBeGreaterThan(0);
    expect(torn.outcome.results[0].metrics).toEqual(first.outcome.results[0].metrics);
    expect(torn.outcome.predictions).toEqual(first.outcome.predictions);
  }, 45_000);
});
