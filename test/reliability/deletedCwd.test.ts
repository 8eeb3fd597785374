import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// dist/ is built once by test/globalSetup.ts. An orphaned test's eval kept running at 100 % CPU
// for an hour after its temporary working directory was deleted: Node's recursive mkdir of a
// relative path with two components ('res/sub') loops forever once the cwd is gone.
const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
const LIMIT_MS = 90_000;

interface Run {
  code: number | null;
  stderr: string;
  ms: number;
}

/** Runs `eval` in `cwd`; `onBanner` is called once the start line is printed (after the directory checks). */
function evalIn(cwd: string, args: string[], onBanner?: () => void): Promise<Run> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [CLI, 'eval', '--dataset', 'shapes:standard', '--n', '8', '--model', 'tiny-clip-shapes', '--no-cache', '--no-progress', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let told = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!told && stderr.includes('zeroshift eval: ')) {
      told = true;
      onBanner?.();
    }
  });
  // A spinning child is killed (and the test fails on its exit code), never left behind.
  const guard = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  return new Promise((done) => {
    child.on('close', (code) => {
      clearTimeout(guard);
      done({ code, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('eval with its current directory deleted', () => {
  it('deleted before the start: a relative --out is a usage error (exit 2) at once', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zs-cwd-gone-'));
    const run = evalIn(cwd, ['--out', 'res/sub']);
    rmSync(cwd, { recursive: true, force: true });
    const r = await run;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('zeroshift: --out res/sub: is relative, and the current directory no longer exists');
    expect(r.stderr).toContain('hint: cd to an existing directory, or give an absolute path');
  }, LIMIT_MS + 10_000);

  it('deleted during the run: it finishes (exit 0) instead of spinning, writing under the absolute --out', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zs-cwd-gone-'));
    try {
      const r = await evalIn(cwd, ['--out', 'res/sub'], () => rmSync(cwd, { recursive: true, force: true }));
      expect(r.code, r.stderr).toBe(0);
      expect(r.ms).toBeLessThan(LIMIT_MS);
      // The directory was deleted after the start line; the run recreated its own output path.
      expect(readdirSync(join(cwd, 'res', 'sub')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, LIMIT_MS + 10_000);
});
