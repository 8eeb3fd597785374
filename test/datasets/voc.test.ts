import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vocAdapter, vocObjectNames } from '../../src/datasets/voc.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Sample } from '../../src/datasets/types.js';
import { writeVoc } from './helpers/vocWriter.js';

const root = mkdtempSync(join(tmpdir(), 'zs-voc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const open = (dir: string, q = '') => vocAdapter.open(parseDatasetSpec(`voc:${dir}${q}`));

describe('voc adapter (VOC2007 devkit layout)', () => {
  beforeAll(async () => {
    await writeVoc(root, [
      { id: '000001', rgb: [200, 30, 30], objects: [{ name: 'dog' }, { name: 'person', parts: ['head', 'hand'] }] },
      { id: '000002', rgb: [30, 200, 30], objects: [{ name: 'aeroplane' }, { name: 'aeroplane' }] },
      { id: '000004', rgb: [30, 30, 200], objects: [{ name: 'tvmonitor', difficult: true }] },
    ]);
  });

  it('lists the split in file order with every category present as labels (difficult included, parts not objects)', async () => {
    for (const dir of [root, join(root, 'VOCdevkit'), join(root, 'VOCdevkit', 'VOC2007')]) {
      const d = await open(dir);
      expect(d.multilabel).toBe(true);
      expect(d.classNames).toHaveLength(20);
      const samples: Sample[] = [];
      for await (const s of d.samples()) samples.push(s);
      expect(samples.map((s) => [s.id, s.label, s.labels])).toEqual([
        ['000001', -1, [11, 14]],
        ['000002', -1, [0]],
        ['000004', -1, [19]],
      ]);
    }
  });

  it('reads the name of each object, not of its parts', () => {
    const xml = '<annotation><object><name>person</name><part><name>head</name></part></object><object>\n\t<name> cat </name></object></annotation>';
    expect(vocObjectNames(xml, 'x.xml')).toEqual(['person', 'cat']);
  });

  it('refuses an unknown split, a folder that is not VOC and an unknown category, naming the file', async () => {
    await expect(open(root, '?split=val')).rejects.toThrow(/aeroplane_val\.txt: no image list for split 'val'/);
    await expect(open(join(root, 'VOCdevkit', 'VOC2007', 'JPEGImages'))).rejects.toThrow(/no VOC2007 layout/);
    const other = mkdtempSync(join(tmpdir(), 'zs-voc-bad-'));
    try {
      await writeVoc(other, [{ id: '000009', rgb: [0, 0, 0], objects: [{ name: 'unicorn' }] }]);
      await expect(open(other)).rejects.toThrow(/000009\.xml: object 'unicorn' is not a VOC2007 category/);
      writeFileSync(join(other, 'VOCdevkit', 'VOC2007', 'ImageSets', 'Main', 'aeroplane_test.txt'), '000009 1 extra\n');
      await expect(open(other)).rejects.toThrow(/aeroplane_test\.txt:1: expected '<image id> <1\|0\|-1>'/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
