import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prepareDataset } from '../../src/prepare/prepare.js';
import { shippedManifest } from '../../src/prepare/manifest.js';
import type { Manifest } from '../../src/prepare/manifestSchema.js';
import { lockPath } from '../../src/prepare/lock.js';
import { cifarSuiteFiles, loopbackManifest, startLoopbackServer, type LoopbackServer } from './fixtures.js';

// dist/ is built once by test/globalSetup.ts; the second process runs the compiled prepare.
const DIST_PREPARE = resolve(import.meta.dirname, '../../dist/prepare/prepare.js');
const LABELS = '/mnist/t10k-labels-idx1-ubyte.gz';

let server: LoopbackServer;
let manifest: Manifest;
let dataDir: string;

beforeEach(async () => {
  const files = cifarSuiteFiles();
  server = await startLoopbackServer(files);
  manifest = loopbackManifest(shippedManifest(), server.baseUrl, files);
  dataDir = mkdtempSync(join(tmpdir(), 'zs-lock-'));
});

afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// The first prepare is held mid-download while a second Node process starts (seconds on a loaded
// machine): a generous stall timeout keeps the held request from being abandoned meanwhile.
const opts = () => ({ dataDir, manifest, retry: { sleep: async () => undefined, baseDelayMs: 1 }, stallTimeoutMs: 300_000 });

/** Holds the first download of `path` until the returned `open()` is called; `arrived` resolves when it is being held. */
function gate(path: string): { arrived: Promise<void>; open: () => void } {
  let open!: () => void;
  let arrived!: () => void;
  const arrivedP = new Promise<void>((r) => (arrived = r));
  server.script.set(path, [{ kind: 'gate', arrived, release: new Promise<void>((r) => (open = r)) }]);
  return { arrived: arrivedP, open };
}

/** Runs prepareDataset('mnist') in a second Node process (the compiled code). */
function secondProcess(): Promise<{ code: number | null; stderr: string }> {
  const manifestFile = join(dataDir, '..', `${dataDir.split('/').pop()}-manifest.json`);
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const script = `
    import { readFileSync } from 'node:fs';
    const { prepareDataset } = await import(${JSON.stringify(DIST_PREPARE)});
    const manifest = JSON.parse(readFileSync(${JSON.stringify(manifestFile)}, 'utf8'));
    try { await prepareDataset('mnist', { dataDir: ${JSON.stringify(dataDir)}, manifest }); process.exit(0); }
    catch (e) { process.stderr.write(e.message + '\\n'); process.exit(e.exitCode ?? 1); }`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      rmSync(manifestFile, { force: true });
      done({ code, stderr });
    });
  });
}

describe('concurrent prepare of one dataset', () => {
  it('a second process refuses (exit 2) naming the holder while the first downloads; the first finishes', async () => {
    const g = gate(LABELS);
    const first = prepareDataset('mnist', opts());
    await g.arrived; // the first process holds the lock and is mid-download
    const second = await secondProcess();
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`'mnist' is being prepared in ${dataDir} by pid ${process.pid} since `);
    expect(second.stderr).toContain(`lock file ${lockPath(dataDir, 'mnist')}`);
    g.open();
    expect((await first).result).toBe('downloaded');
    // The second process sent no request of its own, and the lock is gone.
    expect(server.requests.filter((r) => r.path === LABELS)).toHaveLength(1);
    expect(readdirSync(join(dataDir, '.zeroshift-tmp'))).toEqual([]);
    // Once the first is done, another prepare finds it ready.
    expect((await secondProcess()).code).toBe(0);
  });

  it('two concurrent calls in one process: the second is refused, not given the same .part file', async () => {
    const g = gate(LABELS);
    const first = prepareDataset('mnist', opts());
    await g.arrived;
    await expect(prepareDataset('mnist', opts())).rejects.toMatchObject({ code: 'DATASET', message: expect.stringContaining(`by pid ${process.pid}`) });
    g.open();
    expect((await first).result).toBe('downloaded');
  });

  it('takes over a lock left by a dead process', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    mkdirSync(join(dataDir, '.zeroshift-tmp'), { recursive: true });
    writeFileSync(lockPath(dataDir, 'mnist'), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'zeroshift prepare mnist' }));
    expect((await prepareDataset('mnist', opts())).result).toBe('downloaded');
    expect(existsSync(lockPath(dataDir, 'mnist'))).toBe(false);
  });

  it('does not take over a lock from another host (its pid cannot be checked), and says how to clear it', async () => {
    mkdirSync(join(dataDir, '.zeroshift-tmp'), { recursive: true });
    writeFileSync(lockPath(dataDir, 'mnist'), JSON.stringify({ pid: 1, host: 'node-17.cluster', startedAt: '2026-01-01T00:00:00.000Z', command: 'zeroshift prepare mnist' }));
    const err = await prepareDataset('mnist', opts()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DATASET', message: expect.stringContaining('by pid 1 on host node-17.cluster since 2026-01-01T00:00:00.000Z (zeroshift prepare mnist)') });
    expect((err as { hint: string }).hint).toContain(`delete ${lockPath(dataDir, 'mnist')}`);
    expect(server.requests).toEqual([]);
  });
});
