import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Packages that cost start-up time (native libraries, large schemas): only the commands that use them may load them. */
const HEAVY = ['onnxruntime-node', 'sharp', 'zod', '@huggingface/tokenizers', 'chart.js', '@napi-rs/canvas', 'tar'];

/** The packages the built CLI loads for `args`, recorded by a module loader hook. */
function packagesLoaded(args: string[]): string[] {
  const hook = join(mkdtempSync(join(tmpdir(), 'zs-startup-')), 'hook.mjs');
  writeFileSync(hook, `export async function load(url, context, next) {
  const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url);
  if (m) process.stderr.write('PACKAGE ' + m[1] + '\\n');
  return next(url, context);
}\n`);
  const r = spawnSync(process.execPath, ['--no-warnings', '--experimental-loader', hook, join(ROOT, 'dist', 'cli', 'main.js'), ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return [...new Set(r.stderr.split('\n').filter((l) => l.startsWith('PACKAGE ')).map((l) => l.slice(8)))].sort();
}

describe('start-up', () => {
  it('--version and every command\'s --help load none of the heavy packages', () => {
    for (const args of [['--version'], ['--help'], ['eval', '--help'], ['classify', '--help'], ['report', '--help'], ['compare', '--help'], ['prepare', '--help']]) {
      const loaded = packagesLoaded(args);
      expect(loaded.filter((p) => HEAVY.includes(p)), args.join(' ')).toEqual([]);
    }
  });

  it('the hook sees packages a command does load', () => {
    expect(packagesLoaded(['datasets'])).toEqual(expect.arrayContaining(['sharp', 'zod']));
  });
});
