import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, enumOption, requireArg } from './options.js';
import { exists, fingerprintFiles, readClassNames } from './files.js';
import { pySorted } from './sortNames.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from './types.js';

const OPTIONS = {
  classnames: 'file with one class name per line, in label order (default DIR/classnames.txt if present, else the folder names)',
  labels: "'sorted' (torchvision: folder i in sorted order is class i) or 'numeric' (folder names are the class indices, as in ImageNetV2)",
};

/** torchvision.datasets.folder.IMG_EXTENSIONS, matched case-insensitively. */
export const IMG_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'] as const;

const isImage = (name: string): boolean => IMG_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));

/** Image files under `dir`, recursively, in torchvision's order: sorted os.walk roots, then sorted names. */
async function walkImages(dir: string): Promise<string[]> {
  const perDir: [string, string[]][] = [];
  const visit = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    const files: string[] = [];
    for (const e of entries) {
      const full = join(d, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(full)).isDirectory());
      if (isDir) await visit(full);
      else if (isImage(e.name)) files.push(e.name);
    }
    perDir.push([d, pySorted(files)]);
  };
  await visit(dir);
  const order = pySorted(perDir.map(([d]) => d));
  const byDir = new Map(perDir);
  return order.flatMap((d) => byDir.get(d)!.map((f) => join(d, f)));
}

async function classDirs(root: string): Promise<string[]> {
  if (!(await exists(root))) throw new ZeroshiftError('DATASET', `image folder '${root}' does not exist`);
  const entries = await readdir(root, { withFileTypes: true });
  const dirs = pySorted(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  if (dirs.length === 0) throw new ZeroshiftError('DATASET', `image folder '${root}' has no class sub-folders`);
  return dirs;
}

/** Class index of each folder: its sorted position, or the number it is named by. */
function folderLabels(root: string, dirs: string[], mode: 'sorted' | 'numeric'): number[] {
  if (mode === 'sorted') return dirs.map((_, i) => i);
  return dirs.map((d) => {
    if (!/^\d+$/.test(d)) throw new ZeroshiftError('DATASET', `${join(root, d)}: folder name is not a class index (labels=numeric)`);
    return Number(d);
  });
}

async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const root = requireArg(spec, 'an image folder');
  const mode = enumOption(spec, 'labels', ['sorted', 'numeric'] as const, 'sorted');
  const dirs = await classDirs(root);
  const labels = folderLabels(root, dirs, mode);
  const namesFile = spec.options.classnames ?? ((await exists(join(root, 'classnames.txt'))) ? join(root, 'classnames.txt') : null);
  const classNames = namesFile ? await readClassNames(namesFile) : mode === 'numeric' ? [] : dirs;
  const nClasses = Math.max(...labels) + 1;
  if (mode === 'numeric' && !namesFile) for (let i = 0; i < nClasses; i++) classNames.push(String(i));
  if (classNames.length < nClasses) {
    throw new ZeroshiftError('DATASET', `${namesFile}: ${classNames.length} class names but ${root} needs ${nClasses} (${dirs.length} class folders)`);
  }
  const files: string[][] = [];
  for (const d of dirs) files.push(await walkImages(join(root, d)));
  const empty = dirs.filter((_, i) => files[i]!.length === 0);
  if (empty.length > 0) {
    throw new ZeroshiftError('DATASET', `${root}: no image files (${IMG_EXTENSIONS.join(' ')}) in class folders ${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', ...' : ''}`);
  }
  const all = files.flat();
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'folder',
    name: basename(root),
    classNames,
    size: all.length,
    fingerprint: await fingerprintFiles(root, all, { mode, classNames }),
    async *samples(options = {}) {
      for (let c = 0; c < dirs.length; c++) {
        for (const path of files[c]!) {
          options.signal?.throwIfAborted();
          const sample: Sample = { id: path.slice(root.length).replace(/^[\\/]+/, ''), image: { kind: 'path', path }, label: labels[c]!, metadata: { folder: dirs[c] } };
          yield sample;
        }
      }
    },
  };
}

export const folderAdapter: AdapterDef = {
  id: 'folder',
  summary: 'torchvision ImageFolder: one sub-folder of images per class',
  format:
    'DIR/<class>/**/<image> with extensions .jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp (any case); ' +
    'classes are the sub-folders sorted by code point (class i = i-th folder) and files are listed as ' +
    'torchvision does (sorted walk, nested folders included); optional DIR/classnames.txt gives display names',
  options: OPTIONS,
  example: 'folder:/data/pets',
  open,
};
