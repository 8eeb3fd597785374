import { basename, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, enumOption, requireArg } from './options.js';
import { exists, fingerprintFiles } from './files.js';
import { idxRecords, readIdxHeader } from './idx.js';
import { FASHION_MNIST_CLASSES, KMNIST_CLASSES, MNIST_CLASSES } from './standardClassNames.js';
import { MAX_PIXELS_OPTION, checkRawGeometry } from './rawGeometry.js';
import type { AdapterDef, Dataset, DatasetSpec } from './types.js';

const OPTIONS = {
  split: "'test' (default, t10k-* files) or 'train' (train-* files)",
  classes: "'mnist', 'fashion' or 'kmnist' (default: guessed from the directory name, else mnist)",
  ...MAX_PIXELS_OPTION,
};
const CLASS_SETS = { mnist: MNIST_CLASSES, fashion: FASHION_MNIST_CLASSES, kmnist: KMNIST_CLASSES } as const;
type ClassSet = keyof typeof CLASS_SETS;

/** The raw or gzipped IDX file for `stem`, e.g. t10k-images-idx3-ubyte. */
async function findIdx(root: string, stem: string): Promise<string> {
  for (const name of [stem, `${stem}.gz`]) if (await exists(join(root, name))) return join(root, name);
  throw new ZeroshiftError('DATASET', `${root}: neither ${stem} nor ${stem}.gz found`);
}

function guessClassSet(root: string): ClassSet {
  const lower = root.toLowerCase();
  if (lower.includes('fashion')) return 'fashion';
  if (lower.includes('kmnist') || lower.includes('kuzushiji')) return 'kmnist';
  return 'mnist';
}

/** Grey bytes (H*W) to interleaved RGB with R = G = B. */
function greyToRgb(grey: Uint8Array, width: number, height: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = grey[i];
  return { width, height, data };
}

async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const root = requireArg(spec, 'a directory of MNIST IDX files');
  const split = enumOption(spec, 'split', ['test', 'train'] as const, 'test');
  const classSet = enumOption(spec, 'classes', ['mnist', 'fashion', 'kmnist'] as const, guessClassSet(root));
  const prefix = split === 'test' ? 't10k' : 'train';
  const images = await readIdxHeader(await findIdx(root, `${prefix}-images-idx3-ubyte`), 3);
  const labels = await readIdxHeader(await findIdx(root, `${prefix}-labels-idx1-ubyte`), 1);
  const [n, height, width] = images.dims as [number, number, number];
  checkRawGeometry(images.path, n, height, width, spec);
  if (labels.dims[0] !== n) throw new ZeroshiftError('DATASET', `${labels.path}: ${labels.dims[0]} labels but ${images.path} has ${n} images`);
  const classNames = [...CLASS_SETS[classSet]];
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'mnist',
    name: classSet === 'mnist' ? 'mnist' : classSet === 'fashion' ? 'fashion-mnist' : 'kmnist',
    classNames,
    size: n,
    promptKey: classSet === 'mnist' ? 'mnist' : undefined,
    fingerprint: await fingerprintFiles(root, [images.path, labels.path], { split, classSet }),
    async *samples(options = {}) {
      const labelIter = idxRecords(labels, 1, options.signal);
      let index = 0;
      try {
        for await (const grey of idxRecords(images, height * width, options.signal)) {
          const y = (await labelIter.next()).value![0]!;
          if (y >= classNames.length) throw new ZeroshiftError('DATASET', `${labels.path}: label ${y} at index ${index} is outside 0..${classNames.length - 1}`);
          yield { id: `${basename(images.path).split('-')[0]}/${index}`, image: { kind: 'raw', image: greyToRgb(grey, width, height) }, label: y, metadata: { index } };
          index++;
        }
      } finally {
        // The label reader is driven by hand: end it, or its file handle is left to the garbage
        // collector (Node's "Closing a FileHandle object on garbage collection" warning).
        await labelIter.return(undefined);
      }
    },
  };
}

export const mnistAdapter: AdapterDef = {
  id: 'mnist',
  summary: 'MNIST / Fashion-MNIST / KMNIST IDX files (raw or .gz)',
  format:
    'DIR/{t10k,train}-images-idx3-ubyte[.gz] (magic 0x00000803, big-endian int32 count, rows, cols, then uint8 pixels) and ' +
    'DIR/{t10k,train}-labels-idx1-ubyte[.gz] (magic 0x00000801, count, then uint8 labels); grey is replicated to RGB',
  options: OPTIONS,
  example: 'mnist:/data/mnist?split=test',
  open,
};
