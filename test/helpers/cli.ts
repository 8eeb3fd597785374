import { vi } from 'vitest';
import { readdir } from 'node:fs/promises';
import { runCli } from '../../src/cli/main.js';

/** Runs the CLI in-process, capturing what it writes to stderr and stdout. */
export async function cli(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  try {
    return { code: await runCli(args), stderr, stdout };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

/** Every file under `dir`, relative; [] when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** stderr without the start line `eval` prints before it loads anything. */
export function problemLines(stderr: string): string[] {
  // A '  hint:' line belongs to the message above it.
  return stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('zeroshift eval: ') && !l.startsWith('  hint: '));
}
