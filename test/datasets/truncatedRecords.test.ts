import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cifarAdapter } from '../../src/datasets/cifar.js';
import { mnistAdapter } from '../../src/datasets/mnist.js';
import { npyAdapter } from '../../src/datasets/npy.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { AdapterDef } from '../../src/datasets/types.js';
import { collectSamples } from '../helpers/samples.js';

const root = mkdtempSync(join(tmpdir(), 'zs-trunc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dir(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}
const open = (a: AdapterDef, spec: string) => a.open(parseDatasetSpec(spec));

/** NPY v1/v2 bytes; `headerLen` overrides the declared header length. */
function npy(shape: number[], data: Uint8Array, opts: { major?: number; descr?: string; headerLen?: number } = {}): Buffer {
  const major = opts.major ?? 1;
  const dict = `{'descr': '${opts.descr ?? '|u1'}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const lenBytes = major === 1 ? 2 : 4;
  const header = dict + ' '.repeat((64 - ((8 + lenBytes + dict.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(8 + lenBytes);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = major;
  if (major === 1) pre.writeUInt16LE(opts.headerLen ?? header.length, 8);
  else pre.writeUInt32LE(opts.headerLen ?? header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE((0x08 << 8) | dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

describe('truncated binary records are DATASET errors naming the file and offset', () => {
  it('CIFAR: a file cut short after opening', async () => {
    const d = dir('cifar');
    writeFileSync(join(d, 'test_batch.bin'), Buffer.alloc(3 * 3073, 1));
    const ds = await open(cifarAdapter, `cifar:${d}`);
    truncateSync(join(d, 'test_batch.bin'), 3073 + 100);
    await expect(collectSamples(ds)).rejects.toMatchObject({
      code: 'DATASET',
      message: expect.stringMatching(/test_batch\.bin: truncated: record 1 \(byte offset 3073\) needs 3073 bytes, the file ends 2973 bytes short/),
    });
  });

  it('NPY: data shorter than the shape, a truncated header, and a header length over 2^31', async () => {
    const d = dir('npy');
    writeFileSync(join(d, 'labels.npy'), npy([2], Uint8Array.of(0, 1)));
    writeFileSync(join(d, 'short.npy'), npy([2, 4, 4, 3], new Uint8Array(50)));
    await expect(open(npyAdapter, `npy:${d}?images=short.npy&labels=labels.npy`)).rejects.toThrow(/short\.npy: not a supported \.npy file \(truncated: 178 bytes but shape \(2, 4, 4, 3\) of '\|u1' needs 224 \(data from byte offset 128/);
    writeFileSync(join(d, 'cut.npy'), npy([2, 4, 4, 3], new Uint8Array(0)).subarray(0, 40));
    await expect(open(npyAdapter, `npy:${d}?images=cut.npy&labels=labels.npy`)).rejects.toThrow(/cut\.npy: .*truncated: the header at byte offset 10 needs 118 bytes, the file has 30/);
    // v2 header length 0x90000000 (> 2^31): Node aborted with a C++ assertion allocating it.
    writeFileSync(join(d, 'huge.npy'), npy([2, 4, 4, 3], new Uint8Array(96), { major: 2, headerLen: 0x90000000 }));
    await expect(open(npyAdapter, `npy:${d}?images=huge.npy&labels=labels.npy`)).rejects.toMatchObject({ code: 'DATASET', message: expect.stringMatching(/huge\.npy: .*header length 2415919104 at byte offset 8 exceeds 1048576 bytes/) });
  });

  it('IDX: raw and gzipped files shorter than the header says', async () => {
    const d = dir('mnist-raw');
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), idx([3, 2, 2], new Uint8Array(10)));
    writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idx([3], Uint8Array.of(1, 2, 3)));
    await expect(open(mnistAdapter, `mnist:${d}`)).rejects.toThrow(/t10k-images-idx3-ubyte: truncated: 26 bytes but the header \(3x2x2\) needs 28 \(data from byte offset 16\)/);
    const g = dir('mnist-gz');
    writeFileSync(join(g, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([3, 2, 2], new Uint8Array(10))));
    writeFileSync(join(g, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([3], Uint8Array.of(1, 2, 3))));
    const ds = await open(mnistAdapter, `mnist:${g}`);
    await expect(collectSamples(ds)).rejects.toMatchObject({ code: 'DATASET', message: expect.stringMatching(/images-idx3-ubyte\.gz: truncated or padded: decompressed data holds 2 records of 4 bytes and 2 stray bytes \(data from offset 16/) });
    // A gzip stream cut in the middle.
    const whole = gzipSync(idx([3, 2, 2], Uint8Array.from({ length: 12 }, (_, i) => i * 7)));
    writeFileSync(join(g, 't10k-images-idx3-ubyte.gz'), whole.subarray(0, whole.length - 6));
    await expect(collectSamples(await open(mnistAdapter, `mnist:${g}`))).rejects.toMatchObject({ code: 'DATASET' });
  });
});

describe('raw-pixel formats get the limits encoded images have', () => {
  it('refuses zero dimensions and empty arrays', async () => {
    const d = dir('zero');
    writeFileSync(join(d, 'labels.npy'), npy([2], Uint8Array.of(0, 1)));
    writeFileSync(join(d, 'z.npy'), npy([2, 0, 4, 3], new Uint8Array(0)));
    await expect(open(npyAdapter, `npy:${d}?images=z.npy&labels=labels.npy`)).rejects.toThrow(/z\.npy: images of 0 x 4 pixels have a zero dimension/);
    const m = dir('mnist-zero');
    writeFileSync(join(m, 't10k-images-idx3-ubyte'), idx([2, 5, 0], new Uint8Array(0)));
    writeFileSync(join(m, 't10k-labels-idx1-ubyte'), idx([2], Uint8Array.of(1, 2)));
    await expect(open(mnistAdapter, `mnist:${m}`)).rejects.toMatchObject({ code: 'DATASET', message: expect.stringMatching(/zero dimension/) });
  });

  it('refuses extreme aspect ratios and images over the pixel limit, which max-pixels raises', async () => {
    const d = dir('sliver');
    writeFileSync(join(d, 'labels.npy'), npy([1], Uint8Array.of(0)));
    writeFileSync(join(d, 's.npy'), npy([1, 1, 2000], new Uint8Array(2000)));
    await expect(open(npyAdapter, `npy:${d}?images=s.npy&labels=labels.npy`)).rejects.toThrow(/extreme aspect ratio \(over 1000:1/);
    writeFileSync(join(d, 'big.npy'), npy([1, 100, 100], new Uint8Array(10000)));
    await expect(open(npyAdapter, `npy:${d}?images=big.npy&labels=labels.npy&max-pixels=9999`)).rejects.toThrow(/10000 pixels exceed the pixel limit \(max-pixels=9999\)/);
    expect((await open(npyAdapter, `npy:${d}?images=big.npy&labels=labels.npy&max-pixels=10000`)).size).toBe(1);
    // A gzipped IDX claiming 16000 x 16000 images is refused from its header, before any decompression.
    const m = dir('mnist-huge');
    writeFileSync(join(m, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([1, 16000, 16000], new Uint8Array(0))));
    writeFileSync(join(m, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([1], Uint8Array.of(1))));
    await expect(open(mnistAdapter, `mnist:${m}`)).rejects.toThrow(/256000000 pixels exceed the pixel limit \(max-pixels=178956970\)/);
  });

  it('decompresses a large gzipped record in linear time', async () => {
    const m = dir('mnist-large');
    const side = 3000; // 9 MB per record, ~140 gunzip chunks: re-joining per chunk copies ~600 MB, growing with the square of the size
    const pixels = new Uint8Array(side * side).map((_, i) => i % 251);
    writeFileSync(join(m, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([1, side, side], pixels), { level: 1 }));
    writeFileSync(join(m, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([1], Uint8Array.of(4))));
    const t0 = Date.now();
    const [s] = await collectSamples(await open(mnistAdapter, `mnist:${m}`));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.image.kind === 'raw' && s.image.image.data[3 * 1234]).toBe(1234 % 251);
  });
});

describe('mnist file handles', () => {
  it('closes the label file when the stream ends (no FileHandle left to the garbage collector)', async () => {
    const m = dir('mnist-handles');
    writeFileSync(join(m, 't10k-images-idx3-ubyte'), idx([2, 2, 2], new Uint8Array(8)));
    writeFileSync(join(m, 't10k-labels-idx1-ubyte'), idx([2], Uint8Array.of(1, 2)));
    const ds = await open(mnistAdapter, `mnist:${m}`);
    const openFiles = (): string[] => readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ''; // the fd of readdir itself is gone by now
      }
    });
    expect(await collectSamples(ds)).toHaveLength(2);
    expect(openFiles().filter((t) => t.includes('mnist-handles'))).toEqual([]);
  });
});
