import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataset } from '../../src/prepare/prepare.js';
import { readMarker } from '../../src/prepare/marker.js';
import { resolveDataset } from '../../src/prepare/resolve.js';
import { buildTar, sha256Hex, startLoopbackServer, type LoopbackServer } from './fixtures.js';

const base = '/wds/vtab/cifar10';
const shard = (i: number): Buffer => buildTar([
  { name: `s${i}.webp`, data: `image-${i}` },
  { name: `s${i}.cls`, data: `${i}` },
]);
const files = {
  [`${base}/classnames.txt`]: Buffer.from('airplane\nautomobile\n'),
  [`${base}/zeroshot_classification_templates.txt`]: Buffer.from('a photo of a {c}.\n'),
  [`${base}/test/nshards.txt`]: Buffer.from('2\n'),
  [`${base}/test/0.tar`]: shard(0),
  [`${base}/test/1.tar`]: shard(1),
};

let server: LoopbackServer;
let dataDir: string;
beforeEach(async () => {
  server = await startLoopbackServer(files);
  dataDir = mkdtempSync(join(tmpdir(), 'zs-wds-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('WebDataset mirrors', () => {
  it('refuse to download without --trust-unverified (no request made)', async () => {
    await expect(prepareDataset('wds/vtab/cifar10', { dataDir, mirror: server.baseUrl })).rejects.toMatchObject({ code: 'CHECKSUM' });
    expect(server.requests).toHaveLength(0);
  });

  it('download classnames, templates, nshards and every shard into wds/<name>/, recording sha256s', async () => {
    const out = await prepareDataset('wds/vtab/cifar10', { dataDir, mirror: server.baseUrl, trustUnverified: true });
    expect(out.result).toBe('downloaded');
    const dir = join(dataDir, 'wds', 'vtab-cifar10');
    expect(readFileSync(join(dir, 'test', '1.tar'))).toEqual(files[`${base}/test/1.tar`]);
    const marker = readMarker(dir)!;
    expect(marker.files.map((f) => f.name)).toEqual(['classnames.txt', 'zeroshot_classification_templates.txt', 'test/nshards.txt', 'test/0.tar', 'test/1.tar']);
    expect(marker.files[3]).toMatchObject({ sha256: sha256Hex(files[`${base}/test/0.tar`]), verified: false });
    expect(resolveDataset('wds/vtab/cifar10', dataDir).spec).toBe(`wds:${dir}?split=test`);
  });

  it('reject a malformed nshards.txt naming its URL', async () => {
    server.files.set(`${base}/test/nshards.txt`, Buffer.from('many'));
    await expect(prepareDataset('wds/vtab/cifar10', { dataDir, mirror: server.baseUrl, trustUnverified: true })).rejects.toMatchObject({
      code: 'DATASET',
      message: expect.stringContaining(`${server.baseUrl}${base}/test/nshards.txt should hold a positive shard count, found 'many'`),
    });
  });
});
