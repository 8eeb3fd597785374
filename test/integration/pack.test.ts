import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from '../helpers/dist.js';

/**
 * The npm tarball as users get it: packed (running `prepare`, a clean build), holding no tests,
 * then the README's air-gapped recipe: one install into a throw-away prefix with the registry
 * reachable fills the npm cache (tarballs and the metadata `npm ci` does not fetch), and the real
 * install into another prefix runs with the network cut off (`unshare -n` as root, `--offline`
 * always), then is run.
 */
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
let dir = '';
let bin = '';
let tarball: { filename: string; files: { path: string }[] };

function canCutNetwork(): boolean {
  return process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zeroshift-pack-'));
  [tarball] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as [typeof tarball];
  // ONNXRUNTIME_NODE_INSTALL=skip as in the README (npm versions that run install scripts would reach NuGet).
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
  const install = (prefix: string) => ['npm', 'install', '--global', '--prefix', join(dir, prefix), '--no-audit', '--no-fund', join(dir, tarball.filename)];
  execFileSync('npm', install('stage').slice(1), { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const offline = [...install('prefix'), '--offline'];
  const [cmd, ...args] = canCutNetwork() ? ['unshare', '-n', ...offline] : offline;
  execFileSync(cmd, args, { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  bin = join(dir, 'prefix', 'bin', 'zeroshift');
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The installed CLI, from a directory outside the checkout, with its own cache; stdout. */
function installed(args: string[]): string {
  return execFileSync(bin, args, { cwd: dir, env: { ...process.env, HOME: dir, XDG_CACHE_HOME: join(dir, 'xdg-cache') }, encoding: 'utf8' });
}

describe('the packed tarball', () => {
  it('ships the build, models, prompts, data, suites and docs, and no tests or sources', () => {
    const paths = tarball.files.map((f) => f.path);
    expect(tarball.filename).toBe(`${PKG.name}-${PKG.version}.tgz`);
    for (const p of ['package.json', 'README.md', 'LICENSE', 'dist/cli/main.js', 'dist/index.d.ts', 'benchmarks/shapes-robustness.json', 'data/datasets-manifest.json', 'docs/scale-out.md']) {
      expect(paths, p).toContain(p);
    }
    for (const d of ['models/', 'prompts/']) expect(paths.some((p) => p.startsWith(d)), d).toBe(true);
    expect(paths.filter((p) => /^(test|src|scripts|examples)\/|\.test\.|\.tsbuildinfo$/.test(p))).toEqual([]);
  });

  it('installs offline and runs --version and an eval that matches the checkout', () => {
    expect(installed(['--version']).trim()).toBe(PKG.version);
    const evalArgs = (out: string) => ['eval', '--dataset', 'shapes:dark?n=64&seed=3', '--prompts', 'shapes-shape', '--cache-dir', join(dir, out, 'cache'), '--out', join(dir, out), '--no-progress', '--json'];
    const [fromTarball] = JSON.parse(installed(evalArgs('installed'))) as { metrics: Record<string, unknown> }[];
    const [fromCheckout] = JSON.parse(execFileSync(process.execPath, [MAIN, ...evalArgs('checkout')], { encoding: 'utf8' })) as { metrics: Record<string, unknown> }[];
    expect(fromTarball.metrics.n).toBe(64);
    expect(fromTarball.metrics).toEqual(fromCheckout.metrics);
  });
});
