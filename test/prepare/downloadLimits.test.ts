import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataset } from '../../src/prepare/prepare.js';
import { shippedManifest } from '../../src/prepare/manifest.js';
import type { Manifest } from '../../src/prepare/manifestSchema.js';
import { cifarSuiteFiles, loopbackManifest, startLoopbackServer, type LoopbackServer } from './fixtures.js';

// Hostile mirrors on a loopback server: an endless body, a stall mid-body, a server that never
// answers. Retries do not sleep and the stall tests use a 1 s stall timeout, so each case ends in
// seconds (the real defaults are 4 tries and 30 s). The other tests keep the 30 s default: a
// timeout of a few hundred ms fired on healthy answers when the machine was loaded.
const noWait = { sleep: async () => undefined, baseDelayMs: 1 };
const LABELS = '/mnist/t10k-labels-idx1-ubyte.gz';
const IMAGES = '/mnist/t10k-images-idx3-ubyte.gz';

let server: LoopbackServer;
let files: Record<string, Buffer>;
let manifest: Manifest;
let dataDir: string;

beforeEach(async () => {
  files = cifarSuiteFiles();
  server = await startLoopbackServer(files);
  manifest = loopbackManifest(shippedManifest(), server.baseUrl, files);
  dataDir = mkdtempSync(join(tmpdir(), 'zs-dl-limits-'));
});

afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const opts = (extra: Record<string, unknown> = {}) => ({ dataDir, manifest, retry: noWait, ...extra });
const STALL_MS = 1000;

/** Every file left anywhere under the data dir, with its size. */
function filesUnder(dir: string): { path: string; size: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({ path: join(d.parentPath, d.name), size: statSync(join(d.parentPath, d.name)).size }));
}

function mnistFile(name: string): { size: number | null } {
  const entry = manifest.datasets.find((d) => d.id === 'mnist');
  if (entry?.kind !== 'download') throw new Error('fixture: mnist is a download entry');
  return entry.files.find((f) => f.fileName === name)!;
}

describe('prepare downloads are bounded', () => {
  it('stops an endless body at the size the manifest publishes, naming the URL and the size', async () => {
    server.script.set(LABELS, [{ kind: 'endless' }]);
    const known = files[LABELS].length;
    const t0 = Date.now();
    const err = await prepareDataset('mnist', opts()).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err).toMatchObject({ code: 'CHECKSUM', message: expect.stringContaining(`${server.baseUrl}${LABELS} sent more than its published size of ${known} bytes`) });
    // Nothing longer than the known size was ever on disk, and the partial file is gone.
    expect(filesUnder(dataDir).filter((f) => f.path.includes('labels'))).toEqual([]);
    // Not retried: a longer file is not a transient failure.
    expect(server.requests.filter((r) => r.path === LABELS)).toHaveLength(1);
  });

  it('refuses a Content-Length over the published size before writing a byte', async () => {
    mnistFile('t10k-labels-idx1-ubyte.gz').size = files[LABELS].length - 1;
    const err = await prepareDataset('mnist', opts()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CHECKSUM', message: expect.stringMatching(new RegExp(`announces ${files[LABELS].length} bytes \\(Content-Length\\), over its published size of ${files[LABELS].length - 1} bytes`)) });
    expect(filesUnder(dataDir).filter((f) => f.path.includes('labels'))).toEqual([]);
  });

  it('caps a file of unknown size at --max-download-size and names the flag', async () => {
    mnistFile('t10k-images-idx3-ubyte.gz').size = null;
    server.script.set(IMAGES, [{ kind: 'endless' }]);
    const cap = 3_000_000;
    const err = await prepareDataset('mnist', opts({ maxDownloadBytes: cap })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INPUT', message: expect.stringContaining(`${server.baseUrl}${IMAGES} sent more than the ${cap}-byte limit for downloads of unknown size (--max-download-size)`) });
    expect((err as { hint: string }).hint).toMatch(/--max-download-size/);
    expect(Math.max(0, ...filesUnder(dataDir).map((f) => f.size))).toBeLessThanOrEqual(cap);
    expect(filesUnder(dataDir).filter((f) => f.path.includes('images'))).toEqual([]);
  });

  it('a file of unknown size under the cap downloads as before', async () => {
    mnistFile('t10k-images-idx3-ubyte.gz').size = null;
    const out = await prepareDataset('mnist', opts({ maxDownloadBytes: files[IMAGES].length }));
    expect(out.result).toBe('downloaded');
  });

  it('a stalled body and a server that never answers each cost one stall timeout, then the download resumes', async () => {
    server.script.set(IMAGES, [{ kind: 'stall', bytes: 1000 }, { kind: 'hang' }]);
    const retries: string[] = [];
    const t0 = Date.now();
    const out = await prepareDataset('mnist', { ...opts({ stallTimeoutMs: STALL_MS }), log: { info: () => undefined, debug: () => undefined, warn: (m: string) => void retries.push(m) } });
    expect(Date.now() - t0).toBeLessThan(10 * STALL_MS);
    expect(out.result).toBe('downloaded');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain(`${IMAGES} sent nothing for 1 s after 1000 bytes (stall timeout; --stall-timeout raises it)`);
    expect(retries[1]).toContain(`${IMAGES} sent nothing for 1 s (stall timeout`);
    // The 1000 bytes received before the stall are kept and resumed with a Range request.
    expect(server.requests.filter((r) => r.path === IMAGES).map((r) => r.range)).toEqual([undefined, 'bytes=1000-', 'bytes=1000-']);
  });

  it('gives up after the tries run out, naming the URL and the stall', async () => {
    server.script.set(IMAGES, [{ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' }]);
    const t0 = Date.now();
    const err = await prepareDataset('mnist', opts({ stallTimeoutMs: STALL_MS })).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(15 * STALL_MS);
    expect(err).toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/t10k-images-idx3-ubyte\.gz failed after 4 tries: .* sent nothing for 1 s/) });
    expect(existsSync(join(dataDir, 'mnist'))).toBe(false);
  });
});
