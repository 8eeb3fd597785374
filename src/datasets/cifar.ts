import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, enumOption, requireArg } from './options.js';
import { exists, fingerprintFiles, readClassNames } from './files.js';
import { readRecords } from './records.js';
import { CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES, CIFAR10_CLASSES } from './standardClassNames.js';
import type { AdapterDef, Dataset, DatasetSpec } from './types.js';

const OPTIONS = {
  split: "'test' (default) or 'train'",
  label: "CIFAR-100 only: 'fine' (default, 100 classes) or 'coarse' (20 superclasses)",
};
const SIDE = 32;
const PIXELS = SIDE * SIDE;

/** The two binary layouts: label bytes before the 3072 planar R,G,B bytes of each record. */
interface Layout {
  variant: 'cifar10' | 'cifar100';
  files: Record<'test' | 'train', string[]>;
  labelBytes: number;
}
const CIFAR10: Layout = {
  variant: 'cifar10',
  files: { test: ['test_batch.bin'], train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) },
  labelBytes: 1,
};
const CIFAR100: Layout = { variant: 'cifar100', files: { test: ['test.bin'], train: ['train.bin'] }, labelBytes: 2 };

/** Planar 32x32 R,G,B (1024 bytes each) to interleaved RGB. */
export function planarToRgb(planes: Uint8Array): RawImage {
  const data = new Uint8Array(PIXELS * 3);
  for (let p = 0; p < PIXELS; p++) {
    data[p * 3] = planes[p];
    data[p * 3 + 1] = planes[PIXELS + p];
    data[p * 3 + 2] = planes[2 * PIXELS + p];
  }
  return { width: SIDE, height: SIDE, data };
}

async function detect(root: string): Promise<Layout> {
  if ((await exists(join(root, 'test_batch.bin'))) || (await exists(join(root, 'data_batch_1.bin')))) return CIFAR10;
  if ((await exists(join(root, 'test.bin'))) || (await exists(join(root, 'train.bin')))) return CIFAR100;
  throw new ZeroshiftError('DATASET', `${root}: not a CIFAR binary directory (expected test_batch.bin for CIFAR-10 or test.bin for CIFAR-100)`);
}

async function classNamesFor(root: string, layout: Layout, label: 'fine' | 'coarse'): Promise<string[]> {
  const file = layout.variant === 'cifar10' ? 'batches.meta.txt' : `${label}_label_names.txt`;
  if (await exists(join(root, file))) return readClassNames(join(root, file));
  if (layout.variant === 'cifar10') return [...CIFAR10_CLASSES];
  return [...(label === 'fine' ? CIFAR100_FINE_CLASSES : CIFAR100_COARSE_CLASSES)];
}

async function recordCount(path: string, recordSize: number): Promise<number> {
  if (!(await exists(path))) throw new ZeroshiftError('DATASET', `CIFAR file '${path}' is missing`);
  const size = (await stat(path)).size;
  if (size % recordSize !== 0) throw new ZeroshiftError('DATASET', `${path}: size ${size} is not a multiple of the ${recordSize}-byte record`);
  return size / recordSize;
}

async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const root = requireArg(spec, 'a CIFAR binary directory');
  const split = enumOption(spec, 'split', ['test', 'train'] as const, 'test');
  const layout = await detect(root);
  if (layout.variant === 'cifar10' && spec.options.label !== undefined) throw new ZeroshiftError('USAGE', `${root} is CIFAR-10; the label option is for CIFAR-100 only`);
  const label = enumOption(spec, 'label', ['fine', 'coarse'] as const, 'fine');
  const classNames = await classNamesFor(root, layout, label);
  const recordSize = layout.labelBytes + 3 * PIXELS;
  const files = layout.files[split].map((f) => join(root, f));
  const counts = await Promise.all(files.map((f) => recordCount(f, recordSize)));
  // CIFAR-100 records are (coarse, fine, pixels).
  const labelOffset = layout.variant === 'cifar100' && label === 'fine' ? 1 : 0;
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'cifar',
    name: layout.variant,
    classNames,
    size: counts.reduce((a, b) => a + b, 0),
    // The shipped cifar100 set names the 100 fine classes; coarse labels (20 superclasses) have
    // no shipped set, so none is auto-selected (it failed on the class count) and the class
    // names themselves are used with the default templates.
    promptKey: layout.variant === 'cifar10' ? 'cifar10' : label === 'fine' ? 'cifar100' : undefined,
    fingerprint: await fingerprintFiles(root, files, { split, label }),
    async *samples(options = {}) {
      for (let f = 0; f < files.length; f++) {
        for await (const { index, bytes } of readRecords(files[f], 0, recordSize, 0, counts[f], options.signal)) {
          const y = bytes[labelOffset];
          if (y >= classNames.length) throw new ZeroshiftError('DATASET', `${files[f]}: record ${index} has label ${y}, outside 0..${classNames.length - 1}`);
          const id = `${basename(files[f], '.bin')}/${index}`;
          yield { id, image: { kind: 'raw', image: planarToRgb(bytes.subarray(layout.labelBytes)) }, label: y, metadata: { index } };
        }
      }
    },
  };
}

export const cifarAdapter: AdapterDef = {
  id: 'cifar',
  summary: 'CIFAR-10 / CIFAR-100 binary version (cifar-10-batches-bin, cifar-100-binary)',
  format:
    'CIFAR-10: DIR/test_batch.bin and data_batch_1..5.bin, records of 1 label byte + 3072 bytes (R, G, B planes of 32x32), ' +
    'names in batches.meta.txt; CIFAR-100: DIR/test.bin and train.bin, records of coarse byte, fine byte + 3072 bytes, ' +
    'names in fine_label_names.txt / coarse_label_names.txt; the standard lists are used when the name files are absent',
  options: OPTIONS,
  example: 'cifar:/data/cifar-10-batches-bin',
  open,
};
