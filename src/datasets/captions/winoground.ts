import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ZeroshiftError } from '../../errors.js';
import { resolveInside } from '../../util/containedPath.js';
import { formatDatasetSpec } from '../spec.js';
import { checkOptions, requireArg } from '../options.js';
import { fingerprintFiles, readRegularFile } from '../files.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from '../types.js';

const OPTIONS = {
  images: "folder of the images the examples name (default: images/ beside examples.jsonl, where the Hub's data/images.zip extracts)",
};

/** The fields of one examples.jsonl line that the task reads; the tags ride along as metadata. */
interface Example {
  id: string;
  images: [string, string];
  captions: [string, string];
  metadata: Record<string, unknown>;
}

const EXPECTED = 'expected Winoground\'s examples.jsonl: one JSON object per line with id, image_0, image_1, caption_0, caption_1';

/** examples.jsonl itself, or the folder holding it (the Hub snapshot's root holds it under data/). */
async function findExamples(arg: string): Promise<string> {
  const kind = await stat(arg).then((s) => (s.isDirectory() ? 'dir' : 'file'), () => 'missing');
  if (kind === 'file') return arg;
  if (kind === 'dir') {
    for (const candidate of [join(arg, 'examples.jsonl'), join(arg, 'data', 'examples.jsonl')]) {
      if (await stat(candidate).then((s) => s.isFile(), () => false)) return candidate;
    }
  }
  throw new ZeroshiftError('DATASET', `winoground:${arg}: no examples.jsonl there (looked for ${arg}, ${join(arg, 'examples.jsonl')} and ${join(arg, 'data', 'examples.jsonl')})`, {
    hint: 'download facebook/winoground from the Hugging Face Hub (it is gated: accept its licence first), extract data/images.zip beside data/examples.jsonl, and point winoground: at the snapshot folder',
  });
}

function parseLine(path: string, lineNo: number, line: string): Example {
  const fail = (what: string): never => {
    throw new ZeroshiftError('DATASET', `${path}:${lineNo}: ${what}; ${EXPECTED}`);
  };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    fail(`not JSON (${(e as Error).message.slice(0, 80)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('not a JSON object');
  const o = v as Record<string, unknown>;
  const id = typeof o.id === 'number' && Number.isSafeInteger(o.id) ? String(o.id) : typeof o.id === 'string' && o.id !== '' ? o.id : fail('lacks an integer or string id');
  for (const key of ['image_0', 'image_1', 'caption_0', 'caption_1']) {
    if (typeof o[key] !== 'string' || o[key] === '') fail(`example ${id} lacks a non-empty string ${key}`);
  }
  const metadata: Record<string, unknown> = Object.create(null);
  for (const key of ['tag', 'secondary_tag', 'collapsed_tag', 'num_main_preds']) if (key in o) metadata[key] = o[key];
  return { id, images: [o.image_0 as string, o.image_1 as string], captions: [o.caption_0 as string, o.caption_1 as string], metadata };
}

/**
 * Winoground (Thrush et al., CVPR 2022) as the Hub publishes it (facebook/winoground):
 * `data/examples.jsonl`, one example per line with `id`, `image_0`, `image_1`, `caption_0`,
 * `caption_1` (and tags), the images being `<image_i>.png` in `data/images/` (from
 * `data/images.zip`). Each example is one image–caption selection instance of two images and
 * two captions, image i going with caption i, as CLIP_benchmark's loader returns them
 * (`[image_0, image_1]`, `[caption_0, caption_1]`). Image names must stay inside the folder.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const arg = requireArg(spec, 'the Winoground snapshot folder or its examples.jsonl');
  const path = await findExamples(arg);
  const dir = spec.options.images ?? join(dirname(path), 'images');
  const text = (await readRegularFile(path, 'Winoground examples')).toString('utf8');
  const examples: Example[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const e = parseLine(path, i + 1, line);
    if (seen.has(e.id)) throw new ZeroshiftError('DATASET', `${path}:${i + 1}: example id ${e.id} appears twice; ${EXPECTED}`);
    seen.add(e.id);
    examples.push(e);
  });
  if (examples.length === 0) throw new ZeroshiftError('DATASET', `${path}: no examples; ${EXPECTED}`);
  // The published names are stems (ex_0_img_0); the files are PNGs. Checked before anything is read.
  const files = examples.map((e) => e.images.map((name, k) => resolveInside(dir, extname(name) ? name : `${name}.png`, { source: path, key: `example ${e.id} image_${k}`, code: 'DATASET' })));
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'winoground',
    name: basename(path) === 'examples.jsonl' ? 'winoground' : `winoground-${basename(path).replace(/\.jsonl$/, '')}`,
    classNames: [],
    selection: true,
    size: examples.length * 2,
    fingerprint: await fingerprintFiles(dirname(path), [path], { images: dir }),
    async *samples(options = {}) {
      for (const [n, e] of examples.entries()) {
        for (const index of [0, 1]) {
          options.signal?.throwIfAborted();
          const s: Sample = {
            id: `${e.id}/${index}`,
            image: { kind: 'path', path: files[n][index] },
            label: -1,
            instance: { id: e.id, index, captions: e.captions },
            metadata: { ...e.metadata, image: e.images[index] },
          };
          yield s;
        }
      }
    },
  };
}

export const winogroundAdapter: AdapterDef = {
  id: 'winoground',
  summary: 'Winoground (facebook/winoground on the Hub): 2 images × 2 captions per example, for image–caption selection',
  format: 'examples.jsonl lines {"id", "image_0", "image_1", "caption_0", "caption_1", ...}; images/<image_i>.png beside it',
  options: OPTIONS,
  example: 'winoground:/data/winoground',
  open,
};
