import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvAdapter } from '../../src/datasets/csv.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset } from '../../src/datasets/types.js';

const root = mkdtempSync(join(tmpdir(), 'zs-csv-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function manifest(name: string, content: string): string {
  const p = join(root, name);
  writeFileSync(p, content);
  return p;
}
const open = (spec: string): Promise<Dataset> => csvAdapter.open(parseDatasetSpec(spec));

describe('csv adapter: hostile manifests', () => {
  it('refuses a duplicated label or path header instead of silently using the last column', async () => {
    await expect(open(`csv:${manifest('dup.csv', 'path,label,label\na.png,cat,dog\n')}`)).rejects.toThrow(/dup\.csv:1: column 'label' appears 2 times \(columns 2, 3\)/);
    await expect(open(`csv:${manifest('dup2.csv', 'path,label,path\na.png,cat,b.png\n')}`)).rejects.toThrow(/column 'path' appears 2 times/);
  });

  it('refuses an empty label instead of making a class ""', async () => {
    await expect(open(`csv:${manifest('empty.csv', 'path,label\na.png,cat\nb.png,  \n')}`)).rejects.toThrow(/empty\.csv:3: row has an empty label in column 'label'/);
  });

  it('refuses an integer label that would add a huge range of empty classes', async () => {
    const p = manifest('huge.csv', 'path,label\na.png,0\nb.png,1\nc.png,30000000\n');
    const err = await open(`csv:${p}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DATASET', message: expect.stringMatching(/huge\.csv:4: integer label 30000000 would make 30000001 classes .* only 3 distinct/), hint: expect.stringMatching(/classnames=FILE/) });
    // Beyond 15 digits a label is not read as an integer at all (no float rounding of indices).
    const big = manifest('big.csv', 'path,label\na.png,12345678901234567890\n');
    expect((await open(`csv:${big}`)).classNames).toEqual(['12345678901234567890']);
    // With a class list the same label is checked against it.
    const names = manifest('names.txt', 'a\nb\n');
    await expect(open(`csv:${p}?classnames=${names}`)).rejects.toThrow(/label '30000000' is not a class name or index in 0\.\.1/);
  });

  it('refuses a manifest that is a device or a FIFO without reading it', async () => {
    await expect(open('csv:/dev/zero')).rejects.toThrow(/manifest '\/dev\/zero' is not a regular file/);
    const link = join(root, 'zero.csv');
    symlinkSync('/dev/zero', link);
    await expect(open(`csv:${link}`)).rejects.toThrow(/is not a regular file/);
    await expect(open(`csv:${root}`)).rejects.toThrow(/is not a regular file \(a directory\)/);
    const names = join(root, 'zero-names.txt');
    symlinkSync('/dev/zero', names);
    await expect(open(`csv:${manifest('ok.csv', 'path,label\na.png,0\n')}?classnames=${names}`)).rejects.toThrow(/class-name file .* is not a regular file/);
  });
});
