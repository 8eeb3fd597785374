import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cifarAdapter } from '../../src/datasets/cifar.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset, Sample } from '../../src/datasets/types.js';
import { createRng } from '../../src/util/rng.js';
import { collectSamples } from '../helpers/samples.js';

const root = mkdtempSync(join(tmpdir(), 'zs-cifar-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One record: label bytes, then R plane, G plane, B plane (1024 bytes each, row-major). */
function record(labels: number[], rgbAt: (p: number) => [number, number, number]): Buffer {
  const planes = Buffer.alloc(3072);
  for (let p = 0; p < 1024; p++) {
    const [r, g, b] = rgbAt(p);
    planes[p] = r;
    planes[1024 + p] = g;
    planes[2048 + p] = b;
  }
  return Buffer.concat([Buffer.from(labels), planes]);
}

const open = (spec: string): Promise<Dataset> => cifarAdapter.open(parseDatasetSpec(spec));

describe('cifar adapter', () => {
  it('reads CIFAR-10 test_batch.bin records into interleaved RGB with batches.meta.txt names', async () => {
    const dir = join(root, 'cifar-10-batches-bin');
    mkdirSync(dir);
    const rng = createRng(3);
    const labels = Array.from({ length: 5 }, () => rng.int(0, 9));
    writeFileSync(join(dir, 'test_batch.bin'), Buffer.concat(labels.map((y, i) => record([y], (p) => [p % 256, (p + i) % 256, 255 - (p % 256)]))));
    writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    const ds = await open(`cifar:${dir}`);
    expect(ds.size).toBe(5);
    expect(ds.classNames[9]).toBe('truck');
    const s = await collectSamples(ds);
    expect(s.map((x) => x.label)).toEqual(labels);
    expect(s[1].id).toBe('test_batch/1');
    const img = s[1].image.kind === 'raw' ? s[1].image.image : null;
    expect([img!.width, img!.height]).toEqual([32, 32]);
    const p = 33; // row 1, column 1
    expect([...img!.data.subarray(3 * p, 3 * p + 3)]).toEqual([33, 34, 222]);
  });

  it('reads CIFAR-100 test.bin with fine or coarse labels and the standard lists', async () => {
    const dir = join(root, 'cifar-100-binary');
    mkdirSync(dir);
    writeFileSync(join(dir, 'test.bin'), Buffer.concat([record([0, 30], () => [1, 2, 3]), record([13, 99], () => [4, 5, 6])]));
    const fine = await open(`cifar:${dir}`);
    expect((await collectSamples(fine)).map((x) => fine.classNames[x.label])).toEqual(['dolphin', 'worm']);
    const coarse = await open(`cifar:${dir}?label=coarse`);
    expect((await collectSamples(coarse)).map((x) => coarse.classNames[x.label])).toEqual(['aquatic_mammals', 'non-insect_invertebrates']);
    // The shipped cifar100 prompt set has the 100 fine names: auto-selecting it for the 20
    // coarse classes failed on the class count.
    expect(fine.promptKey).toBe('cifar100');
    expect(coarse.promptKey).toBeUndefined();
  });

  it('errors on a file that is not whole records and on a non-CIFAR directory', async () => {
    const dir = join(root, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'test_batch.bin'), Buffer.alloc(3073 + 5));
    await expect(open(`cifar:${dir}`)).rejects.toThrow(/test_batch\.bin: size 3078 is not a multiple of the 3073-byte record/);
    await expect(open(`cifar:${root}`)).rejects.toThrow(/not a CIFAR binary directory/);
  });
});
