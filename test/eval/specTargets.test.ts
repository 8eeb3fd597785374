import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { matchVariant, specTarget } from '../../src/eval/specTargets.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';

const variantOf = (spec: string): string | null => matchVariant(parseDatasetSpec(spec))?.variant.id ?? null;

describe('datasets named by spec get their family variant', () => {
  it('recognises shapes worlds, CIFAR-10.1/-C and ImageNet variants by their prepared paths', () => {
    expect(variantOf('shapes:sketch?n=50')).toBe('shapes-sketch');
    expect(variantOf('npy:/data/CIFAR-10-C?corruption=fog&severity=3')).toBe('cifar10-c-fog-3');
    expect(variantOf('npy:/d/cifar-10.1?images=cifar10.1_v6_data.npy&labels=cifar10.1_v6_labels.npy')).toBe('cifar10.1');
    expect(variantOf('cifar:/home/me/data/cifar-10-batches-bin/')).toBe('cifar10');
    expect(variantOf('folder:/data/imagenet-r')).toBe('imagenet-r');
    expect(variantOf('folder:/data/imagenet/val')).toBe('imagenet');
    expect(variantOf('folder:/data/objectnet-1.0/images')).toBe('objectnet');
    // Not a known variant: another corruption file, another folder.
    expect(variantOf('npy:/data/CIFAR-10-C?corruption=fog')).toBeNull();
    expect(variantOf('folder:/data/my-imagenet-r-copy')).toBeNull();
    expect(variantOf('folder:/data/pets')).toBeNull();
  });

  it('shapes:sketch is a shifted variant, never in-distribution; shapes:standard is the standard set', async () => {
    const sketch = await specTarget('shapes:sketch?n=8', { where: '--dataset' });
    expect(sketch).toMatchObject({ family: 'shapes', variant: 'shapes-sketch', isStandard: false });
    expect(await specTarget('shapes:standard?n=8', { where: '--dataset' })).toMatchObject({ family: 'shapes', variant: 'shapes-standard', isStandard: true });
  });

  it('an unknown folder has no family and is not in-distribution; --n there warns', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-spec-'));
    for (const c of ['a', 'b']) {
      await mkdir(join(root, 'pets', c), { recursive: true });
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toFile(join(root, 'pets', c, '0.png'));
    }
    const warnings: string[] = [];
    const t = await specTarget(`folder:${root}/pets`, { where: '--dataset', n: 32, onWarning: (m) => warnings.push(m) });
    expect(t).toMatchObject({ family: null, variant: null, isStandard: false });
    expect(warnings).toEqual([expect.stringMatching(/--n 32 has no effect on folder:.*pets/)]);
  });

  it('--n sizes a generated dataset named by spec or by name', async () => {
    expect((await specTarget('shapes:dark', { where: '--dataset', n: 32 })).spec).toMatch(/n=32/);
    expect((await specTarget('shapes:dark?n=32', { where: '--dataset', n: 32 })).spec).toMatch(/n=32/);
    const named = await specTarget('shapes-dark', { where: '--dataset', n: 16 });
    expect(named).toMatchObject({ family: 'shapes', variant: 'shapes-dark', isStandard: false });
    expect(named.spec).toMatch(/^shapes:dark\?.*n=16/);
  });

  it('--n against a spec\'s own ?n=: refused on the command line naming which to drop, replaced with a warning in a suite', async () => {
    await expect(specTarget('shapes:dark?n=50', { where: '--dataset', n: 100 })).rejects.toMatchObject({
      code: 'USAGE',
      message: '--dataset shapes:dark?n=50 asks for n=50 but --n asks for 100',
      hint: expect.stringMatching(/drop one: .*keep \?n=50 and drop --n 100, or drop \?n=50/),
    });
    const warnings: string[] = [];
    const t = await specTarget('shapes:dark?n=50', { where: 'suite.json', n: 100, onWarning: (w) => warnings.push(w) });
    expect(t.spec).toMatch(/n=100/);
    expect(warnings).toEqual(['--n 100 replaces n=50 of shapes:dark?n=50 in suite.json']);
  });

  it('accepts prepared names, says how to prepare missing data, and suggests near names', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'zs-nodata-'));
    await expect(specTarget('cifar10.1', { where: '--dataset', dataDir: empty })).rejects.toThrow(/cifar10\.1/);
    await expect(specTarget('imagenet-rr', { where: '--dataset' })).rejects.toThrow(/did you mean 'imagenet-r'\?/);
  });
});

describe('a prepared name whose data is missing', () => {
  it('names the one entry to prepare, in the data dir eval reads (not the whole suite, not the default dir)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zs-missing-'));
    await expect(specTarget('cifar10.1', { where: '--dataset', dataDir })).rejects.toMatchObject({ hint: `prepare the data first: zeroshift prepare cifar10.1 --data-dir ${dataDir}` });
    await expect(specTarget('imagenet-r', { where: '--dataset', dataDir })).rejects.toMatchObject({ hint: `prepare the data first: zeroshift prepare imagenet-r --data-dir ${dataDir}` });
    // A shipped suite of the same name as a manifest suite holding the entry: prepare the suite.
    await expect(specTarget('cifar10.1', { where: '/x/benchmarks/cifar10-robustness.json', dataDir })).rejects.toMatchObject({ hint: `prepare the data first: zeroshift prepare cifar10-robustness --data-dir ${dataDir}` });
  });
});
