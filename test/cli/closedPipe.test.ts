/**
 * `zeroshift --help | head -1`: the reader closes before the CLI writes. It printed Node's
 * unhandled EPIPE stack trace; now it stops quietly (dist/ is built by test/globalSetup.ts).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');

/** Runs the built CLI with its stdout closed by the reader before anything is written. */
function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

describe('a closed stdout pipe', () => {
  for (const args of [['--help'], ['eval', '--help'], ['datasets', '--help']]) {
    it(`zeroshift ${args.join(' ')} into a closed pipe: no EPIPE stack trace`, async () => {
      const r = await withClosedStdout(args);
      expect(r.stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
      expect(r.code).toBe(0);
    }, 30_000);
  }
});
