import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { createRng } from '../../src/util/rng.js';
import { MAIN, ROOT } from '../helpers/dist.js';

const DATASET = 'shapes:standard?n=600';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Bytes of embedding-cache pack files under `cache` whose names start with `prefix` (all with ''). */
async function packBytes(cache: string, prefix = ''): Promise<number> {
  let total = 0;
  for (const e of await readdir(cache, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!e.isFile() || !e.name.endsWith('.pack') || !e.name.startsWith(prefix)) continue;
    total += (await stat(join(e.parentPath, e.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/**
 * Starts `eval` into `cache`/`out`. With `stop`, sends that signal as soon as this process has
 * appended `stop.bytes` of embeddings to its own pack file (named by its pid): the signal then
 * lands mid-run by construction, whatever the machine's speed, not after a guessed delay.
 */
function runEval(cache: string, out: string, stop?: { signal: NodeJS.Signals; bytes: number }): Promise<Exit> {
  const args = [MAIN, 'eval', '--dataset', DATASET, '--shift', 'gaussian_noise:2', '--batch-size', '32', '--cache-dir', cache, '--out', out, '--no-progress'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let poll: NodeJS.Timeout | undefined;
  if (stop) {
    let busy = false;
    poll = setInterval(() => {
      if (busy) return;
      busy = true;
      void packBytes(cache, `${child.pid}-`).then((n) => {
        busy = false;
        if (n >= stop.bytes && child.exitCode === null && child.signalCode === null) {
          clearInterval(poll);
          child.kill(stop.signal);
        }
      });
    }, 5);
  }
  return new Promise((done) =>
    child.on('close', (code, signal) => {
      clearInterval(poll);
      done({ code, signal, stderr });
    }),
  );
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

describe('kill and resume', () => {
  it('SIGTERM and SIGINT stop cleanly with a resume hint; SIGKILLs lose nothing; the resumed run matches an uninterrupted one', async () => {
    const dirs = async () => [await mkdtemp(join(tmpdir(), 'zs-kill-cache-')), await mkdtemp(join(tmpdir(), 'zs-kill-out-'))] as const;
    const [refCache, refOut] = await dirs();
    const [cache, out] = await dirs();
    const reference = await runEval(refCache, refOut);
    expect(reference.code, reference.stderr).toBe(0);
    // Bytes of embeddings a whole run appends (both units); each stop below lands at a fraction
    // of what is still missing from the interrupted cache, so every signal cuts a run short.
    const full = await packBytes(refCache);
    const missing = async () => full - (await packBytes(cache));

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const stopped = await runEval(cache, out, { signal, bytes: Math.ceil(0.1 * (await missing())) });
      expect(stopped.code, stopped.stderr).toBe(130);
      expect(stopped.stderr).toContain(`${signal}: stopping after the current batch`);
      expect(stopped.stderr).toContain('run the same command again to resume from the cache');
      // Units finished before the signal are written whole; the unit it interrupted is not written at all.
      const written = await results(out);
      expect(written.size).toBeLessThan(2);
      for (const r of written.values()) expect((r.metrics as { n: number }).n).toBe(600);
    }

    const rng = createRng(7);
    for (let k = 0; k < 3; k++) {
      const before = await missing();
      const killed = await runEval(cache, out, { signal: 'SIGKILL', bytes: Math.ceil((0.05 + 0.5 * rng.next()) * before) });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      // Each run resumes from the cache: what the last one appended is not computed again.
      expect(await missing()).toBeLessThan(before);
    }

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
  }, 600_000);

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
  }, 600_000);
});
