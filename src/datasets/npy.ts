import { basename, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, intOption, requireArg } from './options.js';
import { exists, fingerprintFiles, readClassNames } from './files.js';
import { readRecords } from './records.js';
import { readNpyHeader, readNpyInts, type NpyHeader } from './npyFile.js';
import { CIFAR10_CLASSES } from './standardClassNames.js';
import { MAX_PIXELS_OPTION, checkRawGeometry } from './rawGeometry.js';
import type { AdapterDef, Dataset, DatasetSpec } from './types.js';

const OPTIONS = {
  images: 'image array file in DIR: uint8 N x H x W x C (C = 3 or 1) or N x H x W (default cifar10.1_v6_data.npy, or CORRUPTION.npy)',
  labels: 'integer label array file in DIR (default cifar10.1_v6_labels.npy, or labels.npy with corruption)',
  corruption: 'CIFAR-10-C corruption: reads DIR/CORRUPTION.npy and DIR/labels.npy',
  severity: 'CIFAR-10-C severity 1..5: the slice [(s-1)N/5, sN/5) of a 5-severity file',
  classnames: 'file with one class name per line (default the CIFAR-10 classes)',
  ...MAX_PIXELS_OPTION,
};
const SEVERITIES = 5;

function defaultFiles(spec: DatasetSpec): { images: string; labels: string } {
  const c = spec.options.corruption;
  return {
    images: spec.options.images ?? (c !== undefined ? `${c}.npy` : 'cifar10.1_v6_data.npy'),
    labels: spec.options.labels ?? (c !== undefined ? 'labels.npy' : 'cifar10.1_v6_labels.npy'),
  };
}

function imageGeometry(h: NpyHeader): { height: number; width: number; channels: 1 | 3 } {
  const [, height, width, channels = 1] = h.shape;
  const ok = h.kind === 'u' && h.bytes === 1 && (h.shape.length === 3 || (h.shape.length === 4 && (channels === 1 || channels === 3)));
  if (!ok) throw new ZeroshiftError('DATASET', `${h.path}: images must be uint8 N x H x W x C with C = 1 or 3 (got ${h.kind}${h.bytes * 8} shape (${h.shape.join(', ')}))`);
  return { height: height, width: width, channels: channels as 1 | 3 };
}

async function requireFile(root: string, name: string, available: string): Promise<string> {
  const path = join(root, name);
  if (!(await exists(path))) throw new ZeroshiftError('DATASET', `${path} not found`, { hint: `choose the file with ${available}` });
  return path;
}

async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const root = requireArg(spec, 'a directory of .npy files');
  const severity = intOption(spec, 'severity', undefined, 1, SEVERITIES);
  const files = defaultFiles(spec);
  const images = await readNpyHeader(await requireFile(root, files.images, spec.options.corruption ? '?corruption=NAME' : '?images=FILE'));
  const labels = await readNpyHeader(await requireFile(root, files.labels, '?labels=FILE'));
  const geo = imageGeometry(images);
  const n = images.shape[0];
  checkRawGeometry(images.path, n, geo.height, geo.width, spec);
  if (labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw new ZeroshiftError('DATASET', `${labels.path}: shape (${labels.shape.join(', ')}) does not match the ${n} images of ${images.path}`);
  }
  if (severity !== undefined && n % SEVERITIES !== 0) throw new ZeroshiftError('DATASET', `${images.path}: ${n} images cannot be split into ${SEVERITIES} severities`);
  const per = n / SEVERITIES;
  const first = severity === undefined ? 0 : (severity - 1) * per;
  const count = severity === undefined ? n : per;
  const classNames = spec.options.classnames ? await readClassNames(spec.options.classnames) : [...CIFAR10_CLASSES];
  const corruption = spec.options.corruption;
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'npy',
    name: corruption ? `${basename(root)}-${corruption}${severity ? `-${severity}` : ''}` : basename(root),
    classNames,
    size: count,
    promptKey: spec.options.classnames ? undefined : 'cifar10',
    fingerprint: await fingerprintFiles(root, [images.path, labels.path], { first, count, classNames }),
    async *samples(options = {}) {
      const ys = await readNpyInts(labels, first, count);
      const recordSize = geo.height * geo.width * geo.channels;
      for await (const { index, bytes } of readRecords(images.path, images.dataOffset, recordSize, first, count, options.signal)) {
        const y = ys[index - first];
        if (!(y >= 0 && y < classNames.length)) throw new ZeroshiftError('DATASET', `${labels.path}: label ${y} at index ${index} is outside 0..${classNames.length - 1}`);
        const data = new Uint8Array(geo.height * geo.width * 3);
        if (geo.channels === 3) data.set(bytes);
        else for (let i = 0; i < bytes.length; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = bytes[i];
        const meta: Record<string, unknown> = { index };
        if (corruption) Object.assign(meta, { corruption, severity: Math.floor(index / per) + 1 });
        yield { id: `${basename(images.path, '.npy')}/${index}`, image: { kind: 'raw', image: { width: geo.width, height: geo.height, data } }, label: y, metadata: meta };
      }
    },
  };
}

export const npyAdapter: AdapterDef = {
  id: 'npy',
  summary: 'NumPy .npy image + label arrays (CIFAR-10.1, CIFAR-10-C)',
  format:
    'NPY v1/v2/v3 files: a uint8 image array N x H x W x C (C = 3 or 1, C order) and a 1-D integer label array ' +
    '(int8..int64 / uint8..uint64, either byte order); CIFAR-10-C stores one 50000-image file per corruption ' +
    '(severities 1..5 in blocks of 10000) plus labels.npy; read lazily with positional reads',
  options: OPTIONS,
  example: 'npy:/data/CIFAR-10.1?images=cifar10.1_v6_data.npy&labels=cifar10.1_v6_labels.npy',
  open,
};
