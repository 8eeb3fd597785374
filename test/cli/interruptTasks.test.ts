import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from '../helpers/dist.js';

/** Bytes of embeddings in the cache's text namespace (`texts/<model>/*.pack`). */
function textPackBytes(cache: string): number {
  let bytes = 0;
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.pack')) bytes += statSync(p).size;
    }
  };
  walk(join(cache, 'texts'));
  return bytes;
}

/**
 * Runs `zeroshift eval ARGS` as a user would (stderr to a file), sends SIGINT once `ready` says
 * so (polled every 100 ms), and returns the exit code, the seconds from the signal to the exit,
 * and stderr.
 */
async function interrupted(args: string[], tmp: string, ready: (stderr: string) => boolean): Promise<{ code: number | null; seconds: number; stderr: string }> {
  const log = join(tmp, 'stderr.log');
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, [MAIN, 'eval', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; at: number }>((done) => child.on('close', (code) => done({ code, at: Date.now() })));
  let signalledAt = 0;
  while (signalledAt === 0 && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 100));
    if (ready(readFileSync(log, 'utf8'))) {
      signalledAt = Date.now();
      child.kill('SIGINT');
    }
  }
  const end = await exited;
  const stderr = readFileSync(log, 'utf8');
  expect(signalledAt, `never signalled:\n${stderr}`).toBeGreaterThan(0);
  return { code: end.code, seconds: (end.at - signalledAt) / 1000, stderr };
}

/**
 * Ctrl-C in the parts of task runs that are not the shared image stream. Before the fix, the
 * probe fitted itself on the train images embedded so far ("fit on 2496" of 20000), counted its
 * train pass as a finished unit, and only then stopped; retrieval embedded all its captions
 * after the signal and exited 0 with a result, as if no Ctrl-C had come.
 */
describe('Ctrl-C during a task run', () => {
  it('linear probe: stops in its train pass with exit 130, fits nothing, and says what was kept', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-int-probe-'));
    const out = join(tmp, 'out');
    const r = await interrupted(
      ['--task', 'linear_probe', '--dataset', 'shapes:standard?n=20000', '--cache-dir', join(tmp, 'cache'), '--out', out],
      tmp,
      // A progress line of the train pass with images embedded: the signal lands mid-pass.
      (text) => /\(train\): [1-9]\d*\/20000 images/.test(text),
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.seconds, r.stderr).toBeLessThanOrEqual(10);
    expect(r.stderr).not.toMatch(/linear probe: C = /);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.at(-2), r.stderr).toMatch(/^zeroshift: interrupted: 0 finished unit\(s\) written to .*; [1-9]\d* image embedding\(s\) computed this run kept in the cache$/);
    expect(lines.at(-1), r.stderr).toMatch(/^ {2}hint: run the same command again to resume from the cache: zeroshift eval --task linear_probe /);
    expect((await readdir(out).catch(() => [] as string[])).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 180_000);

  it('retrieval: stops while embedding captions with exit 130 and no result', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-int-retrieval-'));
    const cache = join(tmp, 'cache');
    const out = join(tmp, 'out');
    // 3000 images with 3 captions each: 9000 captions, 36 batches of the text tower after the images.
    const r = await interrupted(['--dataset', 'shapes-captions:standard?n=3000', '--cache-dir', cache, '--out', out], tmp, () => textPackBytes(cache) > 0);
    expect(r.code, r.stderr).toBe(130);
    expect(r.seconds, r.stderr).toBeLessThanOrEqual(10);
    const lines = r.stderr.trimEnd().split('\n');
    // The caption batches embedded before the signal are counted too (they are in the text cache).
    expect(lines.at(-2), r.stderr).toMatch(/^zeroshift: interrupted: 0 finished unit\(s\) written to .*; 3000 image embedding\(s\) and [1-9]\d* text embedding\(s\) computed this run kept in the cache$/);
    expect((await readdir(out).catch(() => [] as string[])).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 180_000);
});
