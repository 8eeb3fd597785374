import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { fingerprintFiles, readClassNames, readTextFile, splitLines } from './files.js';
import { checkOptions, requireArg } from './options.js';
import { pySorted } from './sortNames.js';
import { formatDatasetSpec } from './spec.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from './types.js';

/**
 * Tiny-ImageNet's validation split as published (tiny-imagenet-200.zip): ROOT/wnids.txt (the 200
 * synsets), ROOT/val/val_annotations.txt (`file<TAB>wnid<TAB>box…`) and ROOT/val/images/*.JPEG.
 * Class i is the i-th synset in sorted order, as Tiny-ImageNet-C's sorted class folders.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, {});
  const root = requireArg(spec, 'the tiny-imagenet-200 directory');
  const classNames = pySorted(await readClassNames(join(root, 'wnids.txt')));
  const index = new Map(classNames.map((w, i) => [w, i]));
  const annotations = join(root, 'val', 'val_annotations.txt');
  const rows = splitLines(await readTextFile(annotations, 'Tiny-ImageNet validation annotations')).map((line, i) => {
    const [file, wnid] = line.split('\t');
    const label = wnid === undefined ? undefined : index.get(wnid);
    if (!file || label === undefined) {
      throw new ZeroshiftError('DATASET', `${annotations}:${i + 1}: expected 'file<TAB>wnid…' with a wnid from wnids.txt, got '${line.slice(0, 80)}'`);
    }
    return { file, label };
  });
  rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const path = (file: string): string => join(root, 'val', 'images', file);
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'tiny-imagenet',
    name: 'tiny-imagenet-val',
    classNames,
    size: rows.length,
    fingerprint: await fingerprintFiles(root, [annotations, join(root, 'wnids.txt'), ...rows.map((r) => path(r.file))], {}),
    async *samples(options = {}) {
      for (const r of rows) {
        options.signal?.throwIfAborted();
        const sample: Sample = { id: `val/images/${r.file}`, image: { kind: 'path', path: path(r.file) }, label: r.label };
        yield sample;
      }
    },
  };
}

export const tinyImagenetAdapter: AdapterDef = {
  id: 'tiny-imagenet',
  summary: "Tiny-ImageNet's validation split (200 synsets, 64 px) in its published layout",
  format: 'ROOT/wnids.txt, ROOT/val/val_annotations.txt (file<TAB>wnid<TAB>box) and ROOT/val/images/*.JPEG; class i = i-th synset sorted',
  options: {},
  example: 'tiny-imagenet:/data/tiny-imagenet-200',
  open,
};
