import { basename, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, requireArg } from './options.js';
import { exists, fingerprintFiles, readTextFile } from './files.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from './types.js';

/** VOC2007's 20 categories in CLIP_benchmark's (and the devkit's) order: class i of the label vectors. */
export const VOC_CATEGORIES = [
  'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
] as const;

const OPTIONS = {
  split: "image set: 'test' (default), 'trainval', 'train' or 'val' (ImageSets/Main/aeroplane_<split>.txt)",
};

/** The VOC2007 folder (with Annotations/, ImageSets/, JPEGImages/) under DIR, DIR/VOC2007 or DIR/VOCdevkit/VOC2007. */
async function vocRoot(dir: string): Promise<string> {
  for (const c of [dir, join(dir, 'VOC2007'), join(dir, 'VOCdevkit', 'VOC2007')]) {
    if (await exists(join(c, 'ImageSets', 'Main'))) return c;
  }
  throw new ZeroshiftError('DATASET', `${dir}: no VOC2007 layout (ImageSets/Main/ under it, under VOC2007/ or under VOCdevkit/VOC2007/)`, {
    hint: 'extract VOCtest_06-Nov-2007.tar (or run `zeroshift prepare voc2007`) and pass the folder holding VOCdevkit/',
  });
}

/**
 * Object names of one annotation file, as CLIP_benchmark's read_bndbox takes them: every
 * <object>'s first child <name>, 'difficult' ones included. Part names (<part><name>) come
 * after it inside the object and are not objects.
 */
export function vocObjectNames(xml: string, where: string): string[] {
  const names: string[] = [];
  for (const m of xml.matchAll(/<object>([\s\S]*?)<\/object>/g)) {
    const name = /^\s*<name>\s*([^<]*?)\s*<\/name>/.exec(m[1]);
    if (!name) throw new ZeroshiftError('DATASET', `${where}: an <object> whose first child is not <name>`);
    names.push(name[1]);
  }
  return names;
}

async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const dir = requireArg(spec, 'a VOC2007 folder');
  const split = spec.options.split ?? 'test';
  const root = await vocRoot(dir);
  const listFile = join(root, 'ImageSets', 'Main', `${VOC_CATEGORIES[0]}_${split}.txt`);
  if (!(await exists(listFile))) throw new ZeroshiftError('DATASET', `${listFile}: no image list for split '${split}'`, { hint: `splits: ${OPTIONS.split}` });
  const ids: string[] = [];
  for (const [i, line] of (await readTextFile(listFile, 'VOC image list')).split('\n').entries()) {
    const parts = line.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) continue;
    if (parts.length !== 2) throw new ZeroshiftError('DATASET', `${listFile}:${i + 1}: expected '<image id> <1|0|-1>', got '${line.trim()}'`);
    ids.push(parts[0]);
  }
  if (ids.length === 0) throw new ZeroshiftError('DATASET', `${listFile}: lists no image`);
  const index = new Map<string, number>(VOC_CATEGORIES.map((c, i) => [c, i]));
  const labels: number[][] = [];
  for (const id of ids) {
    const file = join(root, 'Annotations', `${id}.xml`);
    const present = new Set<number>();
    for (const name of vocObjectNames(await readTextFile(file, 'VOC annotation'), file)) {
      const k = index.get(name);
      if (k === undefined) throw new ZeroshiftError('DATASET', `${file}: object '${name}' is not a VOC2007 category (${VOC_CATEGORIES.join(', ')})`);
      present.add(k);
    }
    labels.push([...present].sort((a, b) => a - b));
  }
  const images = ids.map((id) => join(root, 'JPEGImages', `${id}.jpg`));
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'voc',
    name: `voc2007-${split}`,
    classNames: [...VOC_CATEGORIES],
    multilabel: true,
    size: ids.length,
    fingerprint: await fingerprintFiles(root, [listFile, ...ids.map((id) => join(root, 'Annotations', `${id}.xml`))], { split, adapter: 'voc' }),
    async *samples(options = {}) {
      for (let i = 0; i < ids.length; i++) {
        options.signal?.throwIfAborted();
        const sample: Sample = { id: ids[i], image: { kind: 'path', path: images[i] }, label: -1, labels: labels[i], metadata: { file: basename(images[i]) } };
        yield sample;
      }
    },
  };
}

export const vocAdapter: AdapterDef = {
  id: 'voc',
  summary: 'PASCAL VOC2007 as multi-label classification (CLIP_benchmark voc2007_multilabel)',
  format:
    'the VOCdevkit layout: VOC2007/ImageSets/Main/aeroplane_<split>.txt lists the images, VOC2007/Annotations/<id>.xml ' +
    'their objects (an image is positive for every category it has an object of, difficult ones included), ' +
    'VOC2007/JPEGImages/<id>.jpg the images; DIR may be the folder holding VOCdevkit/, VOCdevkit/ or VOC2007/ itself',
  options: OPTIONS,
  example: 'voc:/data/voc2007?split=test',
  open,
};
