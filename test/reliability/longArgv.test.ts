import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// dist/ is built once by test/globalSetup.ts. ONNX Runtime's telemetry set-up read
// /proc/self/cmdline and segfaulted (exit 139) on command lines over ~30 KB; it also wrote
// $XDG_CACHE_HOME/Microsoft/DeveloperTools/ on every run. The built CLI is run as a user would.
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const SCENE = join(ROOT, 'test/fixtures/tiny-clip-shapes/reference-images/scenes/standard-00000.png');

const tmp = mkdtempSync(join(tmpdir(), 'zs-argv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a 40 KB command line', () => {
  it('classify with 100 image paths of ~400 characters and a 2 KB template: exit 0, nothing written under XDG_CACHE_HOME', () => {
    const dir = join(tmp, 'd'.repeat(200), 'e'.repeat(150));
    mkdirSync(dir, { recursive: true });
    const image = join(dir, 'standard-00000.png');
    copyFileSync(SCENE, image);
    const xdg = join(tmp, 'xdg-cache');
    mkdirSync(xdg);
    const args = [CLI, 'classify', ...Array.from({ length: 100 }, () => image), '--labels', 'circle,square,triangle', '--template', `a photo of a {}${' really'.repeat(300)}.`, '--json'];
    const argvBytes = args.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
    expect(argvBytes).toBeGreaterThan(40_000);
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: xdg }, maxBuffer: 64 << 20, timeout: 120_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: { image: string }[] };
    expect(doc.results).toHaveLength(100);
    expect(existsSync(join(xdg, 'Microsoft'))).toBe(false);
    expect(readdirSync(xdg)).toEqual([]);
  }, 130_000);
});
