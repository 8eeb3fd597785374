import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareAll, prepareDataset } from '../../src/prepare/prepare.js';
import { shippedManifest } from '../../src/prepare/manifest.js';
import type { Manifest } from '../../src/prepare/manifestSchema.js';
import { readMarker } from '../../src/prepare/marker.js';
import { resolveDataset } from '../../src/prepare/resolve.js';
import { cifarSuiteFiles, loopbackManifest, md5Hex, startLoopbackServer, type LoopbackServer } from './fixtures.js';

const noWait = { sleep: async () => undefined, baseDelayMs: 1 };

let server: LoopbackServer;
let files: Record<string, Buffer>;
let manifest: Manifest;
let dataDir: string;

beforeEach(async () => {
  files = cifarSuiteFiles();
  server = await startLoopbackServer(files);
  manifest = loopbackManifest(shippedManifest(), server.baseUrl, files);
  dataDir = mkdtempSync(join(tmpdir(), 'zs-prepare-'));
});

afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const opts = () => ({ dataDir, manifest, retry: noWait });

describe('prepare', () => {
  it('prepares the cifar10-robustness suite into the agreed layout', async () => {
    const out = await prepareAll(['cifar10-robustness', 'mnist'], opts());
    expect(out.map((o) => [o.id, o.result])).toEqual([
      ['cifar10', 'downloaded'], ['cifar10.1', 'downloaded'], ['cifar10-c', 'downloaded'], ['mnist', 'downloaded'],
    ]);
    const bin = readFileSync(join(dataDir, 'cifar-10-batches-bin', 'test_batch.bin'));
    expect(bin.length).toBe(5 * 3073);
    expect(readFileSync(join(dataDir, 'cifar-10.1', 'cifar10.1_v6_data.npy'))).toEqual(files['/cifar10.1/cifar10.1_v6_data.npy']);
    expect(readdirSync(join(dataDir, 'CIFAR-10-C')).sort()).toEqual(['.zeroshift-prepared.json', 'brightness.npy', 'gaussian_noise.npy', 'labels.npy']);
    expect(readFileSync(join(dataDir, 'mnist', 't10k-images-idx3-ubyte.gz'))).toEqual(files['/mnist/t10k-images-idx3-ubyte.gz']);
    const marker = readMarker(join(dataDir, 'cifar-10-batches-bin'))!;
    expect(marker.files[0]).toMatchObject({ name: 'cifar-10-binary.tar.gz', md5: md5Hex(files['/cifar10/cifar-10-binary.tar.gz']), verified: true });
    // Downloads and scratch space are cleaned up.
    expect(readdirSync(join(dataDir, '.downloads'))).toEqual([]);
    expect(readdirSync(join(dataDir, '.zeroshift-tmp'))).toEqual([]);
    expect(resolveDataset('cifar10', dataDir, manifest)).toMatchObject({
      prepared: true, spec: `cifar:${join(dataDir, 'cifar-10-batches-bin')}?split=test`, missingMessage: '',
    });
  });

  it('a second prepare is instant: no requests', async () => {
    await prepareAll(['cifar10-robustness'], opts());
    const seen = server.requests.length;
    const again = await prepareAll(['cifar10-robustness'], opts());
    expect(again.every((o) => o.result === 'ready')).toBe(true);
    expect(server.requests.length).toBe(seen);
  });

  it('resumes a download cut off mid-way with a Range request', async () => {
    const path = '/cifar10/cifar-10-binary.tar.gz';
    server.script.set(path, [{ kind: 'cut', bytes: 1000 }]);
    const out = await prepareDataset('cifar10', opts());
    expect(out.result).toBe('downloaded');
    const hits = server.requests.filter((r) => r.path === path);
    expect(hits.map((h) => h.range)).toEqual([undefined, 'bytes=1000-']);
    expect(readFileSync(join(dataDir, 'cifar-10-batches-bin', 'test_batch.bin')).length).toBe(5 * 3073);
  });

  it('refuses a checksum mismatch: error, partial file removed, nothing extracted', async () => {
    const entry = manifest.datasets.find((d) => d.id === 'cifar10')!;
    if (entry.kind !== 'download') throw new Error('fixture');
    entry.files[0].checksum = { algorithm: 'md5', value: '0'.repeat(32), source: 'test' };
    await expect(prepareDataset('cifar10', opts())).rejects.toMatchObject({ code: 'CHECKSUM', message: expect.stringMatching(/md5 is [0-9a-f]{32}, expected 0{32}/) });
    expect(readdirSync(join(dataDir, '.downloads'))).toEqual([]);
    expect(existsSync(join(dataDir, 'cifar-10-batches-bin'))).toBe(false);
    expect(readdirSync(join(dataDir, '.zeroshift-tmp'))).toEqual([]);
  });

  it('retries a 503 with backoff, then succeeds', async () => {
    server.script.set('/cifar10.1/cifar10.1_v6_labels.npy', [{ kind: 'status', status: 503 }, { kind: 'status', status: 502 }]);
    const delays: number[] = [];
    const out = await prepareDataset('cifar10.1', { ...opts(), retry: { sleep: async (ms: number) => void delays.push(ms), baseDelayMs: 10 } });
    expect(out.result).toBe('downloaded');
    expect(delays).toEqual([10, 20]);
  });

  it('gives up on a persistent 500 after bounded tries with a clear message', async () => {
    const path = '/cifar10.1/cifar10.1_v6_data.npy';
    server.script.set(path, Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500 })));
    await expect(prepareDataset('cifar10.1', { ...opts(), retry: { ...noWait, attempts: 4 } })).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining(`download of ${server.baseUrl}${path} failed after 4 tries: ${server.baseUrl}${path} answered HTTP 500`),
    });
    expect(server.requests.filter((r) => r.path === path)).toHaveLength(4);
  });

  it('does not retry a 404 and names the URL and status', async () => {
    server.files.delete('/mnist/t10k-labels-idx1-ubyte.gz');
    await expect(prepareDataset('mnist', opts())).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/t10k-labels-idx1-ubyte\.gz failed: HTTP 404/) });
    expect(server.requests.filter((r) => r.path === '/mnist/t10k-labels-idx1-ubyte.gz')).toHaveLength(1);
    expect(existsSync(join(dataDir, 'mnist'))).toBe(false);
  });

  it('offline: no request, lists what is missing with the exact command', async () => {
    const out = await prepareAll(['cifar10-robustness'], { ...opts(), offline: true });
    expect(server.requests).toHaveLength(0);
    expect(out.map((o) => o.result)).toEqual(['missing', 'missing', 'missing']);
    expect(out[1].message).toContain(`zeroshift prepare cifar10.1 --data-dir ${JSON.stringify(dataDir)}`);
    const r = resolveDataset('cifar10-c', dataDir, manifest);
    expect(r.prepared).toBe(false);
    expect(r.missingMessage).toContain('zeroshift prepare cifar10-c');
  });

  it('refuses to overwrite a directory it did not make unless --force', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dataDir, 'cifar-10.1'));
    writeFileSync(join(dataDir, 'cifar-10.1', 'mine.txt'), 'x');
    await expect(prepareDataset('cifar10.1', opts())).rejects.toMatchObject({ code: 'DATASET', message: expect.stringContaining('not prepared by zeroshift') });
    expect(server.requests).toHaveLength(0);
    await prepareDataset('cifar10.1', { ...opts(), force: true });
    expect(existsSync(join(dataDir, 'cifar-10.1', 'mine.txt'))).toBe(false);
  });

  it('explains how to supply ImageNet and reports the layout check', async () => {
    const out = await prepareDataset('imagenet', opts());
    expect(out.result).toBe('missing');
    expect(out.message).toContain(join(dataDir, 'imagenet', 'val'));
    expect(out.message).toMatch(/1000 synset directories/);
  });
});

describe('files without a published checksum', () => {
  it('are refused with their sha256, kept, and used without a second download under --trust-unverified', async () => {
    const entry = manifest.datasets.find((d) => d.id === 'cifar10')!;
    if (entry.kind !== 'download') throw new Error('fixture');
    entry.files[0].checksum = null;
    entry.files[0].checksumNote = 'test: none published';
    const body = files['/cifar10/cifar-10-binary.tar.gz'];
    const { sha256Hex } = await import('./fixtures.js');
    await expect(prepareDataset('cifar10', opts())).rejects.toMatchObject({ code: 'CHECKSUM', message: expect.stringContaining(sha256Hex(body)) });
    expect(existsSync(join(dataDir, 'cifar-10-batches-bin'))).toBe(false);
    const before = server.requests.length;
    await prepareDataset('cifar10', { ...opts(), trustUnverified: true });
    expect(server.requests.length).toBe(before);
    expect(readMarker(join(dataDir, 'cifar-10-batches-bin'))!.files[0]).toMatchObject({ sha256: sha256Hex(body), verified: false });
  });

  it('a verified archive placed by hand in .downloads is used without any request', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dataDir, '.downloads'));
    writeFileSync(join(dataDir, '.downloads', 'cifar-10-binary.tar.gz'), files['/cifar10/cifar-10-binary.tar.gz']);
    expect((await prepareDataset('cifar10', opts())).result).toBe('downloaded');
    expect(server.requests).toHaveLength(0);
  });
});
