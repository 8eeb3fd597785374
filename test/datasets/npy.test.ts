import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npyAdapter } from '../../src/datasets/npy.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset, Sample } from '../../src/datasets/types.js';
import { collectSamples } from '../helpers/samples.js';

const root = mkdtempSync(join(tmpdir(), 'zs-npy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** NPY bytes per the NumPy format spec: magic, version, header length, dict padded with spaces + \n to 64. */
function npy(descr: string, shape: number[], data: Uint8Array, major = 1): Buffer {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const lenBytes = major === 1 ? 2 : 4;
  const unpadded = 6 + 2 + lenBytes + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const pre = Buffer.alloc(8 + lenBytes);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = major;
  if (major === 1) pre.writeUInt16LE(header.length, 8);
  else pre.writeUInt32LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

function int64(values: number[], littleEndian: boolean): Uint8Array {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => (littleEndian ? b.writeBigInt64LE(BigInt(v), 8 * i) : b.writeBigInt64BE(BigInt(v), 8 * i)));
  return b;
}

const open = (spec: string): Promise<Dataset> => npyAdapter.open(parseDatasetSpec(spec));

describe('npy adapter', () => {
  it('reads CIFAR-10.1 style files: uint8 N x H x W x 3 and little-endian int64 labels', async () => {
    const dir = join(root, 'cifar-10.1');
    mkdirSync(dir);
    const pixels = Uint8Array.from({ length: 3 * 2 * 2 * 3 }, (_, i) => i);
    writeFileSync(join(dir, 'cifar10.1_v6_data.npy'), npy('|u1', [3, 2, 2, 3], pixels));
    writeFileSync(join(dir, 'cifar10.1_v6_labels.npy'), npy('<i8', [3], int64([9, 0, 4], true)));
    const ds = await open(`npy:${dir}`);
    expect(ds.size).toBe(3);
    const s = await collectSamples(ds);
    expect(s.map((x) => [x.id, ds.classNames[x.label]])).toEqual([['cifar10.1_v6_data/0', 'truck'], ['cifar10.1_v6_data/1', 'airplane'], ['cifar10.1_v6_data/2', 'deer']]);
    expect(s[1].image.kind === 'raw' && [...s[1].image.image.data]).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
  });

  it('selects a CIFAR-10-C severity slice (v2 header, big-endian int32 labels, grey images)', async () => {
    const dir = join(root, 'CIFAR-10-C');
    mkdirSync(dir);
    const n = 10; // 5 severities x 2 images
    writeFileSync(join(dir, 'fog.npy'), npy('|u1', [n, 1, 1], Uint8Array.from({ length: n }, (_, i) => 10 * i), 2));
    const labels = Buffer.alloc(4 * n);
    for (let i = 0; i < n; i++) labels.writeInt32BE(i % 10, 4 * i);
    writeFileSync(join(dir, 'labels.npy'), npy('>i4', [n], labels, 2));
    const ds = await open(`npy:${dir}?corruption=fog&severity=3`);
    expect(ds.size).toBe(2);
    const s = await collectSamples(ds);
    expect(s.map((x) => [x.id, x.label, x.metadata?.severity])).toEqual([['fog/4', 4, 3], ['fog/5', 5, 3]]);
    expect(s[0].image.kind === 'raw' && [...s[0].image.image.data]).toEqual([40, 40, 40]);
  });

  it('rejects mismatched sizes, dtypes and counts naming the file', async () => {
    const dir = join(root, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.npy'), npy('<f4', [1, 1, 1, 3], new Uint8Array(12)));
    writeFileSync(join(dir, 'y.npy'), npy('|u1', [2], Uint8Array.from([0, 1])));
    await expect(open(`npy:${dir}?images=x.npy&labels=y.npy`)).rejects.toThrow(/x\.npy: not a supported \.npy file \(dtype '<f4'/);
    writeFileSync(join(dir, 'x.npy'), npy('|u1', [1, 1, 1, 3], new Uint8Array(12)));
    await expect(open(`npy:${dir}?images=x.npy&labels=y.npy`)).rejects.toThrow(/x\.npy: .*needs \d+/);
    writeFileSync(join(dir, 'x.npy'), npy('|u1', [1, 1, 1, 3], new Uint8Array(3)));
    await expect(open(`npy:${dir}?images=x.npy&labels=y.npy`)).rejects.toThrow(/y\.npy: shape \(2\) does not match the 1 images/);
    await expect(open(`npy:${dir}?images=x.npy&labels=y.npy&severity=6`)).rejects.toThrow(/severity=6 is not an integer in \[1, 5\]/);
  });
});
