import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistAdapter } from '../../src/datasets/mnist.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset, Sample } from '../../src/datasets/types.js';
import { collectSamples } from '../helpers/samples.js';

const root = mkdtempSync(join(tmpdir(), 'zs-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The real MNIST test set's label counts for digits 0..9 (sum 10000). */
const MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

/** IDX bytes per LeCun's spec: 0x0000, type 0x08 (ubyte), rank, big-endian int32 dims, data. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE((0x08 << 8) | dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

function writeMnist(name: string, labels: number[], side: number, gz: boolean): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const pixels = new Uint8Array(labels.length * side * side).map((_, i) => (i * 7) % 256);
  const files = [['t10k-images-idx3-ubyte', idx([labels.length, side, side], pixels)], ['t10k-labels-idx1-ubyte', idx([labels.length], Uint8Array.from(labels))]] as const;
  for (const [f, b] of files) writeFileSync(join(dir, gz ? `${f}.gz` : f), gz ? gzipSync(b) : b);
  return dir;
}

const open = (spec: string): Promise<Dataset> => mnistAdapter.open(parseDatasetSpec(spec));

describe('mnist adapter', () => {
  const labels = MNIST_TEST_COUNTS.flatMap((c, d) => Array<number>(c).fill(d));
  for (const gz of [false, true]) {
    it(`returns the real test-set label counts from ${gz ? 'gzipped' : 'raw'} IDX files`, async () => {
      const ds = await open(`mnist:${writeMnist(gz ? 'gz' : 'raw', labels, 2, gz)}`);
      expect(ds.size).toBe(10000);
      expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      const counts = new Array(10).fill(0);
      let firstPixels: Uint8Array | null = null;
      for await (const s of ds.samples()) {
        counts[s.label]++;
        if (s.image.kind === 'raw' && firstPixels === null) firstPixels = s.image.image.data;
      }
      expect(counts).toEqual(MNIST_TEST_COUNTS);
      expect([...firstPixels!]).toEqual([0, 0, 0, 7, 7, 7, 14, 14, 14, 21, 21, 21]); // grey replicated to RGB
    });
  }

  it('guesses Fashion-MNIST class names from the directory', async () => {
    const ds = await open(`mnist:${writeMnist('FashionMNIST', [9, 0], 1, false)}`);
    expect((await collectSamples(ds)).map((s) => ds.classNames[s.label])).toEqual(['Ankle boot', 'T-shirt/top']);
    expect((await open(`mnist:${join(root, 'FashionMNIST')}?classes=kmnist`)).classNames[9]).toBe('wo');
  });

  it('validates magic numbers and counts, naming the file', async () => {
    const dir = writeMnist('bad', [1, 2], 1, false);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([3], Uint8Array.from([1, 2, 3])));
    await expect(open(`mnist:${dir}`)).rejects.toThrow(/t10k-labels-idx1-ubyte: 3 labels but .*t10k-images-idx3-ubyte has 2 images/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([2, 1], Uint8Array.from([1, 2])));
    await expect(open(`mnist:${dir}`)).rejects.toThrow(/t10k-labels-idx1-ubyte: bad IDX magic 0x00000802 \(expected 0x00000801/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([2], Uint8Array.from([1])));
    await expect(open(`mnist:${dir}`)).rejects.toThrow(/9 bytes but the header \(2\) needs 10/);
  });

  it('reads IDX files written by python3 struct + gzip', async () => {
    // Made once by scripts/fixtures/makeMnistPython.py.
    const dir = join(import.meta.dirname, '..', 'fixtures', 'mnist-python');
    const s = await collectSamples(await open(`mnist:${dir}`));
    expect(s.map((x) => x.label)).toEqual([7, 3, 5]);
    expect(s[2].image.kind === 'raw' && [...s[2].image.image.data.subarray(0, 3)]).toEqual([8, 8, 8]);
  });
});
