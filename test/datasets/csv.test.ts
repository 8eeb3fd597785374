import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvAdapter } from '../../src/datasets/csv.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset, Sample } from '../../src/datasets/types.js';
import { collectSamples } from '../helpers/samples.js';

const root = mkdtempSync(join(tmpdir(), 'zs-csv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function manifest(name: string, content: string | Uint8Array): string {
  const p = join(root, name);
  writeFileSync(p, content);
  return p;
}
const open = (spec: string): Promise<Dataset> => csvAdapter.open(parseDatasetSpec(spec));

describe('csv adapter', () => {
  it('reads a BOM + CRLF CSV with quoted fields and class-name labels', async () => {
    const p = manifest('a.csv', '\uFEFFfilepath,label\r\n"img/a, 1.png",dog\r\n\r\nimg/b.png,cat\r\n"img/c\r\nx.png",dog\r\n');
    const ds = await open(`csv:${p}`);
    expect(ds.classNames).toEqual(['cat', 'dog']);
    const s = await collectSamples(ds);
    expect(s.map((x) => [x.id, x.label, x.metadata?.line])).toEqual([['img/a, 1.png', 1, 2], ['img/b.png', 0, 4], ['img/c\r\nx.png', 1, 5]]);
    expect(s[0].image).toEqual({ kind: 'path', path: join(root, 'img/a, 1.png') });
    expect(ds.warnings).toBeUndefined();
  });

  it('reads TSV with named columns, integer labels and a class-name file', async () => {
    const names = manifest('names.txt', 'zero\none\ntwo\n');
    const p = manifest('b.tsv', 'file\ty\n/abs/x.jpg\t2\nrel.jpg\tone\n');
    const ds = await open(`csv:${p}?delimiter=tab&path-column=file&label-column=y&classnames=${names}`);
    expect(ds.classNames).toEqual(['zero', 'one', 'two']);
    expect((await collectSamples(ds)).map((x) => [x.image.kind === 'path' && x.image.path, x.label])).toEqual([['/abs/x.jpg', 2], [join(root, 'rel.jpg'), 1]]);
  });

  it('orders integer labels numerically when no class names are given', async () => {
    const ds = await open(`csv:${manifest('c.csv', 'path,label\na.png,10\nb.png,2\n')}`);
    expect(ds.classNames).toHaveLength(11);
    expect((await collectSamples(ds)).map((x) => x.label)).toEqual([10, 2]);
  });

  it('names file and line for a missing path and for an unknown label', async () => {
    await expect(open(`csv:${manifest('d.csv', 'path,label\na.png,0\n,1\n')}`)).rejects.toThrow(/d\.csv:3: row has no image path/);
    const names = manifest('n2.txt', 'cat\ndog\n');
    await expect(open(`csv:${manifest('e.csv', 'path,label\na.png,cat\nb.png,bird\n')}?classnames=${names}`)).rejects.toThrow(/e\.csv:3: label 'bird' is not a class name or index in 0\.\.1/);
    await expect(open(`csv:${manifest('f.csv', 'file,label\na.png,0\n')}`)).rejects.toThrow(/f\.csv:1: no path column 'path' or 'filepath'; columns: file, label/);
  });

  it('decodes invalid UTF-8 with replacement and says so', async () => {
    const bytes = Buffer.concat([Buffer.from('path,label\ncaf'), Buffer.from([0xe9]), Buffer.from('.png,0\n')]);
    const ds = await open(`csv:${manifest('g.csv', bytes)}`);
    expect((await collectSamples(ds))[0].id).toBe('caf\uFFFD.png');
    expect(ds.warnings?.[0]).toMatch(/g\.csv: not valid UTF-8/);
  });

  it('rejects unknown options listing the valid ones', async () => {
    await expect(open(`csv:${manifest('h.csv', 'path,label\na.png,0\n')}?path_column=x`)).rejects.toThrow(/no option 'path_column'; valid options: classnames, delimiter, label-column, path-column/);
  });
});
