import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from '../helpers/dist.js';

/**
 * The cold default suite (`zeroshift eval`, 182 units in one pass over shapes-standard: a chunk
 * of it took about 110 s) with stderr to a file, as a user's log: progress lines come at most
 * 15 s apart with overall counts that never go back, and Ctrl-C ends the run within 10 s with
 * exit 130 and one line saying what was kept.
 */
describe('the cold default suite, stderr to a file', () => {
  it('prints progress lines often, with counts that never go back, and stops on SIGINT within 10 s', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-default-int-'));
    const log = join(tmp, 'stderr.log');
    const fd = openSync(log, 'w');
    const child = spawn(process.execPath, [MAIN, 'eval', '--cache-dir', join(tmp, 'cache'), '--out', join(tmp, 'out')], { cwd: ROOT, stdio: ['ignore', 'ignore', fd] });
    closeSync(fd);
    const exited = new Promise<{ code: number | null; at: number }>((done) => child.on('close', (code) => done({ code, at: Date.now() })));
    // When each line first appeared in the file, read as the run writes it.
    const seen: { at: number; line: string }[] = [];
    const poll = (): void => {
      const lines = readFileSync(log, 'utf8').split('\n').slice(0, -1);
      for (const line of lines.slice(seen.length)) seen.push({ at: Date.now(), line });
    };
    const progress = (): { at: number; line: string }[] => seen.filter((s) => /; overall \d+\/\d+ images/.test(s.line));
    let signalledAt = 0;
    while (signalledAt === 0) {
      await new Promise((r) => setTimeout(r, 100));
      poll();
      if (child.exitCode !== null) break;
      // Two lines inside the first pass: the signal lands mid-chunk, with embeddings computed.
      if (progress().filter((s) => !/ 0\/\d+ images/.test(s.line)).length >= 2) {
        signalledAt = Date.now();
        child.kill('SIGINT');
      }
    }
    const end = await exited;
    poll();
    const text = seen.map((s) => s.line).join('\n');
    expect(signalledAt, text).toBeGreaterThan(0);
    expect(end.code, text).toBe(130);
    expect(end.at - signalledAt, text).toBeLessThanOrEqual(10_000);
    // From the start line on, no gap of more than 15 s between lines.
    const from = seen.findIndex((s) => s.line.startsWith('zeroshift eval: '));
    expect(from, text).toBeGreaterThanOrEqual(0);
    const times = [...seen.slice(from).map((s) => s.at).filter((at) => at <= signalledAt), signalledAt];
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1], text).toBeLessThanOrEqual(15_000);
    const overall = progress().map((s) => Number(/; overall (\d+)\//.exec(s.line)![1]));
    for (let i = 1; i < overall.length; i++) expect(overall[i], text).toBeGreaterThanOrEqual(overall[i - 1]);
    // Cold: the classifiers' prompts were embedded before the pass, and count as kept (in the classifier cache).
    expect(seen.at(-2)?.line, text).toMatch(/^zeroshift: interrupted: 0 finished unit\(s\) written to .*; [1-9]\d* image embedding\(s\) and [1-9]\d* text embedding\(s\) computed this run kept in the cache$/);
    expect(seen.at(-1)?.line, text).toMatch(/^ {2}hint: run the same command again to resume from the cache: zeroshift eval --cache-dir /);
    expect(text).toContain('warning: SIGINT: stopping after the current batch');
  }, 180_000);
});
