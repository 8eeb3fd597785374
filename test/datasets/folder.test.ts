import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderAdapter } from '../../src/datasets/folder.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset, Sample } from '../../src/datasets/types.js';
import { collectSamples } from '../helpers/samples.js';

const root = mkdtempSync(join(tmpdir(), 'zs-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: string[]): string {
  const dir = join(root, name);
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'x');
  }
  return dir;
}
const open = (spec: string): Promise<Dataset> => folderAdapter.open(parseDatasetSpec(spec));

describe('folder adapter (torchvision ImageFolder)', () => {
  it('sorts classes and files like torchvision, recursing and filtering IMG_EXTENSIONS', async () => {
    const dir = tree('pets', ['dog/b.JPG', 'dog/a.png', 'dog/notes.txt', 'Cat/z.webp', 'Cat/sub/y.tiff', 'bird/x.pgm']);
    const ds = await open(`folder:${dir}`);
    expect(ds.classNames).toEqual(['Cat', 'bird', 'dog']); // code-point order: uppercase first
    expect(ds.size).toBe(5);
    expect((await collectSamples(ds)).map((s) => [s.id, s.label])).toEqual([
      ['Cat/z.webp', 0], ['Cat/sub/y.tiff', 0], ['bird/x.pgm', 1], ['dog/a.png', 2], ['dog/b.JPG', 2],
    ]);
  });

  it('takes display names from classnames.txt and numeric folder labels (ImageNetV2 layout)', async () => {
    const dir = tree('v2', ['0/a.jpeg', '2/b.jpeg', '10/c.jpeg']);
    writeFileSync(join(dir, 'names.txt'), Array.from({ length: 11 }, (_, i) => `class ${i}`).join('\n'));
    const ds = await open(`folder:${dir}?labels=numeric&classnames=${join(dir, 'names.txt')}`);
    expect(ds.classNames[10]).toBe('class 10');
    expect((await collectSamples(ds)).map((s) => s.label)).toEqual([0, 10, 2]);
  });

  it('errors on an empty class folder and too few class names', async () => {
    const dir = tree('empty', ['a/x.png', 'b/readme.md']);
    await expect(open(`folder:${dir}`)).rejects.toThrow(/no image files .* in class folders b/);
    const d2 = tree('few', ['a/x.png', 'b/y.png']);
    writeFileSync(join(d2, 'classnames.txt'), 'only\n');
    await expect(open(`folder:${d2}`)).rejects.toThrow(/1 class names but .* needs 2/);
    await expect(open(`folder:${d2}?labels=alpha`)).rejects.toThrow(/labels=alpha is not one of sorted, numeric/);
  });

  it('refuses more class names than class folders (sorted labels would shift)', async () => {
    const dir = tree('many', ['a/x.png', 'b/y.png']);
    writeFileSync(join(dir, 'classnames.txt'), 'one\ntwo\nthree\n');
    const err = await open(`folder:${dir}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DATASET', message: expect.stringMatching(/3 class names but .* needs 2 \(2 class folders, labels=sorted: one name per folder, no more, no fewer\)/) });
  });
});
