import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { createRng } from '../../src/util/rng.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');
const DATASET = 'shapes:standard?n=600';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts `eval` into `cache`/`out`. With `stop`, sends that signal `afterMs` after the run
 * has announced itself (its signal handlers are installed by then), so the signal lands
 * mid-run rather than during module loading.
 */
function runEval(cache: string, out: string, stop?: { signal: NodeJS.Signals; afterMs: number }): Promise<Exit> {
  const args = [MAIN, 'eval', '--dataset', DATASET, '--shift', 'gaussian_noise:2', '--batch-size', '32', '--cache-dir', cache, '--out', out, '--no-progress'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let armed = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stop && !armed && stderr.includes('zeroshift eval:')) {
      armed = true;
      setTimeout(() => child.kill(stop.signal), stop.afterMs);
    }
  });
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stderr })));
}

/** Result JSON files of `out`, parsed, by file name. */
async function results(out: string): Promise<Map<string, Record<string, unknown>>> {
  const m = new Map<string, Record<string, unknown>>();
  for (const f of (await readdir(out)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    m.set(f, JSON.parse(await readFile(join(out, f), 'utf8')) as Record<string, unknown>);
  }
  return m;
}

/** What must not depend on interruptions: everything but timestamps, timings and the command. */
function numbers(r: Record<string, unknown>): string {
  return JSON.stringify({ metrics: r.metrics, perClass: r.perClass, confusion: r.confusion, skipped: r.skipped, id: r.id, dataset: r.dataset, prompts: r.prompts });
}

beforeAll(() => {
  // Others may have transient type errors elsewhere; tsc still emits, and the run needs only the CLI.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
  expect(existsSync(MAIN)).toBe(true);
}, 120_000);

describe('kill and resume', () => {
  it('SIGTERM and SIGINT stop cleanly with a resume hint; SIGKILLs lose nothing; the resumed run matches an uninterrupted one', async () => {
    const dirs = async () => [await mkdtemp(join(tmpdir(), 'zs-kill-cache-')), await mkdtemp(join(tmpdir(), 'zs-kill-out-'))] as const;
    const [refCache, refOut] = await dirs();
    const [cache, out] = await dirs();
    const reference = await runEval(refCache, refOut);
    expect(reference.code, reference.stderr).toBe(0);

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const stopped = await runEval(cache, out, { signal, afterMs: 300 });
      expect(stopped.code, stopped.stderr).toBe(1);
      expect(stopped.stderr).toContain(`${signal}: stopping after the current batch`);
      expect(stopped.stderr).toContain('run the same command again to resume from the cache');
      // Units finished before the signal are written whole; the unit it interrupted is not written at all.
      const written = await results(out);
      expect(written.size).toBeLessThan(2);
      for (const r of written.values()) expect((r.metrics as { n: number }).n).toBe(600);
    }

    const rng = createRng(7);
    let landed = 0;
    for (let k = 0; k < 3; k++) {
      const killed = await runEval(cache, out, { signal: 'SIGKILL', afterMs: Math.round(200 + rng.next() * 2500) });
      expect(killed.code === 0 || killed.signal === 'SIGKILL', killed.stderr).toBe(true);
      if (killed.signal === 'SIGKILL') landed++;
    }
    // A kill that lands after the run finished tests nothing; at least one must cut a run short.
    expect(landed).toBeGreaterThan(0);

    const resumed = await runEval(cache, out);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/corrupt|damaged|checksum/);
    const [want, got] = [await results(refOut), await results(out)];
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [name, r] of want) {
      expect(numbers(got.get(name)!), name).toBe(numbers(r));
      const predictions = r.predictionsFile as string;
      expect(await readFile(join(out, predictions), 'utf8'), predictions).toBe(await readFile(join(refOut, predictions), 'utf8'));
    }
  }, 50_000);

  it('two runs writing into the same results and cache directories at once both finish intact', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'zs-both-cache-'));
    const out = await mkdtemp(join(tmpdir(), 'zs-both-out-'));
    const [a, b] = await Promise.all([runEval(cache, out), runEval(cache, out)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const written = await results(out);
    expect(written.size).toBe(2);
    for (const r of written.values()) expect((r.metrics as { n: number }).n).toBe(600);
    const index = Papa.parse<Record<string, string>>(await readFile(join(out, 'index.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    expect(index.errors).toEqual([]);
    expect(index.data.map((row) => row.shift).sort()).toEqual(['gaussian_noise:2', 'none']);
    expect((await readdir(out)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 40_000);
});
