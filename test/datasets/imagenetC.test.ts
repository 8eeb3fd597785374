import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findVariant, scoreMapping, variantSpec } from '../../src/datasets/families.js';
import { C_CORRUPTIONS } from '../../src/datasets/imagenetC.js';
import { openDataset } from '../../src/datasets/registry.js';
import { imagenetSubset, imagenetWordnetClasses } from '../../src/datasets/subsets.js';
import { buildPlan } from '../../src/eval/plan.js';
import { corruptionOf } from '../../src/report/conditions.js';
import type { Result } from '../../src/results/schema.js';

const WNIDS = ['n01440764', 'n01443537'];

async function jpeg(path: string, value: number, side = 8): Promise<void> {
  await writeFile(path, await sharp(Buffer.alloc(side * side * 3, value), { raw: { width: side, height: side, channels: 3 } }).jpeg().toBuffer());
}

/** ROOT/<corruption>/<severity>/<wnid>/*.JPEG as published, plus a stray folder and a corruption without severities. */
async function cTree(root: string, cells: [string, number][], side = 8): Promise<void> {
  for (const [c, s] of cells) {
    for (const [k, w] of WNIDS.entries()) {
      const dir = join(root, c, String(s), w);
      await mkdir(dir, { recursive: true });
      await jpeg(join(dir, `ILSVRC2012_val_0000000${k + 1}.JPEG`), 40 * k + s, side);
    }
  }
  await mkdir(join(root, 'fog_old', '1', WNIDS[0]), { recursive: true });
  await mkdir(join(root, 'snow'), { recursive: true });
}

describe('imagenet-c adapter: ROOT/<corruption>/<severity>/<wnid>/*.JPEG', () => {
  it('reads one corruption and severity as synset folders, listing folders that are no corruption as skipped', async () => {
    const root = join(await mkdtemp(join(tmpdir(), 'zs-inc-')), 'imagenet-c');
    await cTree(root, [['fog', 1], ['fog', 3], ['gaussian_noise', 5]]);
    const ds = await openDataset(`imagenet-c:${root}?corruption=fog&severity=3`);
    expect(ds.adapter).toBe('imagenet-c');
    expect(ds.name).toBe('imagenet-c-fog-3');
    expect(ds.classNames).toEqual(WNIDS);
    expect(ds.warnings).toEqual([`${root}: folders that are not ImageNet-C corruptions, skipped: fog_old`]);
    const items = [];
    for await (const s of ds.samples()) items.push([s.id, s.label]);
    expect(items).toEqual([[`${WNIDS[0]}/ILSVRC2012_val_00000001.JPEG`, 0], [`${WNIDS[1]}/ILSVRC2012_val_00000002.JPEG`, 1]]);
  });

  it('a missing severity or corruption folder is a DATASET error (exit 2) that lists what the tree has', async () => {
    const root = join(await mkdtemp(join(tmpdir(), 'zs-inc-')), 'imagenet-c');
    await cTree(root, [['fog', 1], ['fog', 3]]);
    const missing = openDataset(`imagenet-c:${root}?corruption=fog&severity=2`);
    await expect(missing).rejects.toMatchObject({ code: 'DATASET', message: `${root}: no fog/2 folder; this tree has fog 1 3, snow (no severity folders); not ImageNet-C corruptions (skipped): fog_old` });
    await expect(openDataset(`imagenet-c:${root}?corruption=zoom_blur&severity=1`)).rejects.toThrow(/no zoom_blur\/1 folder/);
    await expect(openDataset(`imagenet-c:${root}?corruption=fgo&severity=1`)).rejects.toThrow(/unknown ImageNet-C corruption 'fgo'; did you mean 'fog'\?; known: brightness, contrast/);
    await expect(openDataset(`imagenet-c:${root}?corruption=fog&severity=6`)).rejects.toThrow(/severity=6 is not one of 1, 2, 3, 4, 5/);
    await expect(openDataset(`imagenet-c:${root}?severity=1`)).rejects.toThrow(/needs \?corruption=/);
    await expect(openDataset(`imagenet-c:${join(root, 'nowhere')}?corruption=fog&severity=1`)).rejects.toThrow(/cannot read the -C root \(ENOENT\)/);
  });
});

describe('ImageNet-C and Tiny-ImageNet-C as family variants', () => {
  it('registers the 19 corruptions × 5 severities of each, named so reports read corruption and severity', () => {
    expect(C_CORRUPTIONS).toHaveLength(19);
    for (const [family, prefix, dir] of [['imagenet', 'imagenet-c', 'imagenet-c'], ['tiny-imagenet', 'tiny-imagenet-c', 'Tiny-ImageNet-C']] as const) {
      for (const c of C_CORRUPTIONS) {
        for (const s of [1, 2, 3, 4, 5]) {
          const id = `${prefix}-${c.replace(/_/g, '-')}-${s}`;
          const { family: f, variant } = findVariant(id);
          expect(f.id).toBe(family);
          expect(variantSpec(variant, '/d')).toBe(`imagenet-c:/d/${dir}?corruption=${c}&severity=${s}`);
          // the report's mCE reads (corruption, severity) from the variant name, as for generated shifts
          expect(corruptionOf({ shift: null, dataset: { variant: id } } as unknown as Result)).toEqual({ corruption: c, severity: s });
        }
      }
    }
  });

  it('Tiny-ImageNet scores over its 200 ImageNet synsets (sorted folders = ascending ImageNet indices)', () => {
    const subset = imagenetSubset('tiny-imagenet');
    expect(subset).toHaveLength(200);
    expect(new Set(subset).size).toBe(200);
    const { variant } = findVariant('tiny-imagenet-c-fog-3');
    const names = subset.map((i) => imagenetWordnetClasses()[i].wnid);
    const m = scoreMapping(variant, names);
    expect(m.classColumns).toEqual([...subset]);
    expect([...m.labelToCorrect(7)!]).toEqual([subset[7]]);
    expect(() => scoreMapping(variant, names.slice(0, 199))).toThrow(/must have 200 classes/);
  });

  it('a suite naming imagenet-c variants plans them on the tree under --data-dir, marked with family and variant', async () => {
    const data = await mkdtemp(join(tmpdir(), 'zs-inc-data-'));
    await cTree(join(data, 'imagenet-c'), [['fog', 3], ['gaussian_noise', 5]]);
    const suite = join(data, 'c-suite.json');
    await writeFile(suite, JSON.stringify({
      schemaVersion: 1, name: 'imagenet-c-local', models: ['tiny-clip-shapes'], prompts: ['imagenet'],
      datasets: [{ family: 'imagenet', variants: ['imagenet-c-fog-3', 'imagenet-c-gaussian-noise-5'] }],
    }));
    // --template: the shipped 1000-class prompt set would not fit this two-synset tree
    const templates = ['a photo of a {}.'];
    const plan = await buildPlan({ suite, templates, ensembling: 'clip', env: {}, dataDir: data });
    expect(plan.units.map((u) => [u.target.family, u.target.variant, u.shift])).toEqual([
      ['imagenet', 'imagenet-c-fog-3', null], ['imagenet', 'imagenet-c-gaussian-noise-5', null],
    ]);
    await writeFile(suite, JSON.stringify({
      schemaVersion: 1, name: 'imagenet-c-local', models: ['tiny-clip-shapes'], prompts: ['imagenet'],
      datasets: [{ family: 'imagenet', variants: ['imagenet-c-fog-2'] }],
    }));
    await expect(buildPlan({ suite, templates, ensembling: 'clip', env: {}, dataDir: data })).rejects.toMatchObject({
      code: 'DATASET', message: expect.stringMatching(/no fog\/2 folder; this tree has fog 3, gaussian_noise 5/),
    });
  });
});

describe('tiny-imagenet adapter: the published validation layout', () => {
  it('labels val/images by val_annotations.txt against the sorted wnids.txt', async () => {
    const root = join(await mkdtemp(join(tmpdir(), 'zs-tin-')), 'tiny-imagenet-200');
    await mkdir(join(root, 'val', 'images'), { recursive: true });
    await writeFile(join(root, 'wnids.txt'), 'n01443537\nn01440764\n');
    await writeFile(join(root, 'val', 'val_annotations.txt'), 'val_1.JPEG\tn01443537\t0\t0\t63\t63\nval_0.JPEG\tn01440764\t1\t2\t40\t50\n');
    for (const i of [0, 1]) await jpeg(join(root, 'val', 'images', `val_${i}.JPEG`), 100 + i, 64);
    const ds = await openDataset(`tiny-imagenet:${root}`);
    expect(ds.classNames).toEqual(['n01440764', 'n01443537']);
    const items = [];
    for await (const s of ds.samples()) items.push([s.id, s.label]);
    expect(items).toEqual([['val/images/val_0.JPEG', 0], ['val/images/val_1.JPEG', 1]]);
    await writeFile(join(root, 'val', 'val_annotations.txt'), 'val_0.JPEG\tn09999999\t0\t0\t1\t1\n');
    await expect(openDataset(`tiny-imagenet:${root}`)).rejects.toThrow(/val_annotations\.txt:1: expected 'file<TAB>wnid…' with a wnid from wnids\.txt/);
  });
});
