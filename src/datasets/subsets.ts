import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';

const SUBSET_DIR = join(PACKAGE_ROOT, 'data', 'class-subsets');

function readJson<T>(file: string): T {
  const path = join(SUBSET_DIR, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new ZeroshiftError('INTERNAL', `cannot read shipped data ${path}: ${(e as Error).message}`);
  }
}

let wordnet: { wnid: string; name: string }[] | null = null;

/** The 1000 ILSVRC2012 classes in index order: WordNet id and original synset name ("tench, Tinca tinca"). */
export function imagenetWordnetClasses(): readonly { wnid: string; name: string }[] {
  wordnet ??= readJson<{ classes: [string, string][] }>('imagenet-1k-wordnet.json').classes.map(([wnid, name]) => ({ wnid, name }));
  return wordnet;
}

export type ImagenetSubsetId = 'imagenet-r' | 'imagenet-a' | 'tiny-imagenet';

/** Sorted ImageNet class indices of a 200-class subset (imagenet-testbed's class_sublist; Tiny-ImageNet's synsets). */
export function imagenetSubset(id: ImagenetSubsetId): readonly number[] {
  if (id === 'tiny-imagenet') {
    const wnids = readJson<{ wnids: string[] }>('tiny-imagenet-wnids.json').wnids;
    const at = new Map(imagenetWordnetClasses().map((c, i) => [c.wnid, i]));
    return wnids.map((w) => {
      const i = at.get(w);
      if (i === undefined) throw new ZeroshiftError('INTERNAL', `tiny-imagenet-wnids.json: ${w} is not an ImageNet-1k synset`);
      return i;
    }).sort((a, b) => a - b);
  }
  const data = readJson<Record<string, unknown>>('imagenet-200-subsets.json');
  const list = data[id];
  if (!Array.isArray(list)) throw new ZeroshiftError('INTERNAL', `imagenet-200-subsets.json has no '${id}' list`);
  return list as number[];
}

/** Folds an ObjectNet class name or folder name to a comparison key: lower-case letters and digits only. */
export function objectnetKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * ObjectNet's 113 ImageNet-overlapping classes: class name -> sorted ImageNet indices, from
 * objectnet_to_imagenet_1k.json (original WordNet synset names, "; "-separated).
 */
export function objectnetToImagenet(): Map<string, number[]> {
  const byName = new Map<string, number>();
  imagenetWordnetClasses().forEach((c, i) => {
    // Two synsets share the name 'crane' and two 'maillot'; the mapping uses neither.
    if (!byName.has(c.name)) byName.set(c.name, i);
    else byName.set(c.name, -1);
  });
  const raw = readJson<Record<string, string>>('objectnet_to_imagenet_1k.json');
  const out = new Map<string, number[]>();
  for (const [onet, names] of Object.entries(raw)) {
    const ids = names.split('; ').map((n) => {
      const i = byName.get(n);
      if (i === undefined || i < 0) throw new ZeroshiftError('INTERNAL', `objectnet_to_imagenet_1k.json: '${onet}' maps to '${n}', not a unique ImageNet synset name`);
      return i;
    });
    out.set(onet, ids.sort((a, b) => a - b));
  }
  return out;
}
