import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ZeroshiftError } from '../../errors.js';
import { formatDatasetSpec } from '../spec.js';
import { checkOptions, requireArg } from '../options.js';
import { exists, fingerprintFiles } from '../files.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample, SkippedItem } from '../types.js';

const OPTIONS = {
  images: "image folder (default: ../<split> beside an annotations/ folder, e.g. annotations/captions_val2014.json → val2014/)",
};

interface CocoImage { id: number; file_name: string }
interface CocoCaption { image_id: number; caption: string }

function fail(path: string, what: string): never {
  throw new ZeroshiftError('DATASET', `${path}: ${what}; expected COCO captions JSON {"images": [{"id", "file_name"}], "annotations": [{"image_id", "caption"}]}`);
}

async function defaultImages(path: string): Promise<string> {
  const m = /^captions_(.+)\.json$/.exec(basename(path));
  const guess = m ? resolve(dirname(path), '..', m[1]) : null;
  if (guess && (await exists(guess))) return guess;
  throw new ZeroshiftError('DATASET', `${path}: no image folder given and ${guess ?? '../<split>'} does not exist`, { hint: `add ?images=/path/to/images` });
}

/**
 * COCO-style captions (`captions_val2014.json`, `captions_val2017.json`): images in the
 * order of the file's `images` list, each with the captions whose image_id matches, in
 * annotation order. Images without a caption are skipped and listed; an empty caption is
 * dropped and listed.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const path = requireArg(spec, 'a COCO captions_*.json file');
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
  } catch (e) {
    throw new ZeroshiftError('DATASET', `cannot read COCO captions '${path}': ${e instanceof TypeError ? 'not valid UTF-8' : (e as Error).message}`);
  }
  let json: { images?: unknown; annotations?: unknown };
  try {
    json = JSON.parse(raw);
  } catch (e) {
    fail(path, `not JSON (${(e as Error).message.slice(0, 80)})`);
  }
  if (!Array.isArray(json.images) || !Array.isArray(json.annotations)) fail(path, 'no "images" and "annotations" lists');
  const images = json.images as CocoImage[];
  const captions = new Map<number, string[]>();
  const problems: SkippedItem[] = [];
  (json.annotations as CocoCaption[]).forEach((a, i) => {
    if (typeof a?.image_id !== 'number' || typeof a.caption !== 'string') fail(path, `annotations[${i}] lacks a numeric image_id or a string caption`);
    const c = a.caption.trim();
    if (c === '') {
      problems.push({ id: `${a.image_id}#annotation-${i}`, reason: `${path}: annotations[${i}] has an empty caption; dropped` });
      return;
    }
    const list = captions.get(a.image_id) ?? [];
    list.push(c);
    captions.set(a.image_id, list);
  });
  images.forEach((im, i) => {
    if (typeof im?.id !== 'number' || typeof im.file_name !== 'string') fail(path, `images[${i}] lacks a numeric id or a string file_name`);
  });
  const dir = spec.options.images ?? (await defaultImages(path));
  return {
    spec: formatDatasetSpec({ ...spec, options: { ...spec.options, images: dir } }),
    adapter: 'coco',
    name: basename(path).replace(/\.json$/, ''),
    classNames: [],
    captioned: true,
    size: images.filter((im) => captions.has(im.id)).length,
    fingerprint: await fingerprintFiles(dirname(path), [path], { images: dir }),
    async *samples(options = {}) {
      const onSkip = options.onSkip ?? (() => {});
      problems.forEach(onSkip);
      for (const im of images) {
        options.signal?.throwIfAborted();
        const caps = captions.get(im.id);
        if (!caps) {
          onSkip({ id: im.file_name, reason: `${path}: image ${im.id} (${im.file_name}) has no caption` });
          continue;
        }
        const s: Sample = { id: im.file_name, image: { kind: 'path', path: join(dir, im.file_name) }, label: -1, captions: caps, metadata: { cocoId: im.id } };
        yield s;
      }
    },
  };
}

export const cocoAdapter: AdapterDef = {
  id: 'coco',
  summary: 'COCO captions JSON (captions_*.json) with its image folder, for zero-shot retrieval',
  format: 'captions_<split>.json: {"images": [{"id", "file_name"}], "annotations": [{"image_id", "caption"}]}; images under ?images=DIR (default ../<split>)',
  options: OPTIONS,
  example: 'coco:/data/coco/annotations/captions_val2014.json?images=/data/coco/val2014',
  open,
};
