import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ZeroshiftError } from '../../errors.js';
import { resolveInside } from '../../util/containedPath.js';
import { formatDatasetSpec } from '../spec.js';
import { checkOptions, requireArg } from '../options.js';
import { fingerprintFiles } from '../files.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from '../types.js';

const OPTIONS = {
  images: 'folder of the images the annotation names (COCO val2017 for SugarCrepe)',
};

interface Entry { filename: string; caption: string; negative_caption: string }

function fail(path: string, what: string): never {
  throw new ZeroshiftError('DATASET', `${path}: ${what}; expected SugarCrepe's annotation JSON {"ID": {"filename", "caption", "negative_caption"}, ...}`);
}

/**
 * SugarCrepe (Hsieh et al. 2023): one annotation file per kind of hard negative (add_att,
 * replace_rel, swap_obj, …) mapping ids (any strings, not necessarily contiguous) to an image
 * file name, its caption and a negative caption. Each id is one image–caption selection
 * instance: one image, captions [caption, negative_caption] (the true one first, as
 * CLIP_benchmark's loader orders them). Image names must stay inside ?images=DIR.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const path = requireArg(spec, "a SugarCrepe annotation JSON (e.g. swap_att.json)");
  const dir = spec.options.images;
  if (!dir) throw new ZeroshiftError('USAGE', `sugarcrepe:${path} needs ?images=DIR, the folder of its images`, { hint: `e.g. sugarcrepe:${path}?images=/data/coco/val2017` });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path)));
  } catch (e) {
    fail(path, e instanceof SyntaxError ? `not JSON (${e.message.slice(0, 80)})` : e instanceof TypeError ? 'not valid UTF-8' : `cannot be read (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(path, 'not a JSON object');
  const entries = new Map<string, Entry>();
  for (const [id, v] of Object.entries(json as Record<string, unknown>)) {
    const e = v as Partial<Entry> | null;
    if (typeof e?.filename !== 'string' || typeof e.caption !== 'string' || typeof e.negative_caption !== 'string') fail(path, `entry "${id}" lacks a string filename, caption or negative_caption`);
    entries.set(id, e as Entry);
  }
  // Checked before anything is read: a name leaving the image folder refuses the file.
  const files = new Map([...entries].map(([id, e]) => [id, resolveInside(dir, e.filename, { source: path, key: `"${id}".filename`, code: 'DATASET' })]));
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'sugarcrepe',
    name: `sugarcrepe-${basename(path).replace(/\.json$/, '')}`,
    classNames: [],
    selection: true,
    size: entries.size,
    fingerprint: await fingerprintFiles(dirname(path), [path], { images: dir }),
    async *samples(options = {}) {
      for (const [id, e] of entries) {
        options.signal?.throwIfAborted();
        const s: Sample = { id, image: { kind: 'path', path: files.get(id)! }, label: -1, instance: { id, index: 0, captions: [e.caption, e.negative_caption] }, metadata: { filename: e.filename } };
        yield s;
      }
    },
  };
}

export const sugarcrepeAdapter: AdapterDef = {
  id: 'sugarcrepe',
  summary: 'SugarCrepe annotation JSON with its image folder, for image–caption selection',
  format: '{"ID": {"filename", "caption", "negative_caption"}, ...}; images under ?images=DIR',
  options: OPTIONS,
  example: 'sugarcrepe:/data/sugar_crepe/swap_att.json?images=/data/coco/val2017',
  open,
};
