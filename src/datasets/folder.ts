import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, enumOption, requireArg } from './options.js';
import { exists, fingerprintFiles, readClassNames } from './files.js';
import { pySorted } from './sortNames.js';
import { parseMetadataJson } from './captions/captionText.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from './types.js';

const OPTIONS = {
  classnames: 'file with one class name per line, in label order (default DIR/classnames.txt if present, else the folder names)',
  labels: "'sorted' (torchvision: folder i in sorted order is class i) or 'numeric' (folder names are the class indices, as in ImageNetV2)",
};

/** torchvision.datasets.folder.IMG_EXTENSIONS, matched case-insensitively. */
export const IMG_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'] as const;

const isImage = (name: string): boolean => IMG_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));

/** What a walk found besides images: entries it could not use, each listed once with the reason. */
interface WalkProblems {
  unusable: { path: string; reason: string }[];
  /** JSON files seen beside images (`img.json` for `img.jpg`): per-item metadata. */
  sidecars: Set<string>;
}

/** `dir/img.json` for `dir/img.jpg`: the per-image metadata file a folder may carry. */
const sidecarOf = (path: string): string => path.replace(/\.[^./\\]+$/, '.json');

/** A directory's identity: symlink loops are found by device and inode, as `os.walk`'s callers must. */
const dirId = (s: Stats): string => `${s.dev}:${s.ino}`;

/**
 * Image files under `dir`, recursively, in torchvision's order (`os.walk(followlinks=True)`:
 * sorted roots, then sorted names). Symlinked folders are followed as torchvision does; a link
 * back to one of its own ancestors (a loop) is not followed and is listed once. Dangling links,
 * FIFOs, sockets and devices named like images, and folders that cannot be read are listed too.
 */
async function walkImages(dir: string, problems: WalkProblems, ancestors: ReadonlySet<string>): Promise<string[]> {
  const perDir: [string, string[]][] = [];
  const visit = async (d: string, chain: ReadonlySet<string>): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      problems.unusable.push({ path: d, reason: `cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); its images are not listed` });
      return;
    }
    const files: string[] = [];
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory() || e.isSymbolicLink()) {
        let s: Stats;
        try {
          s = await stat(full);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') problems.unusable.push({ path: full, reason: 'symbolic link loop (ELOOP); not followed' });
          else if (isImage(e.name)) problems.unusable.push({ path: full, reason: `dangling symbolic link (${code ?? 'unreadable'})` });
          continue;
        }
        if (s.isDirectory()) {
          if (chain.has(dirId(s))) {
            problems.unusable.push({ path: full, reason: `symbolic link loop: it leads back to a folder above it (${await realpath(full).catch(() => '?')}); not followed` });
            continue;
          }
          await visit(full, new Set([...chain, dirId(s)]));
          continue;
        }
        if (!isImage(e.name)) continue;
        if (!s.isFile()) problems.unusable.push({ path: full, reason: `not a regular file (${fileKind(s)}); skipped without reading` });
        else files.push(e.name);
        continue;
      }
      if (e.isFile() && e.name.toLowerCase().endsWith('.json')) problems.sidecars.add(full);
      if (!isImage(e.name)) continue;
      if (e.isFile()) files.push(e.name);
      else problems.unusable.push({ path: full, reason: `not a regular file (${fileKind(e)}); skipped without reading` });
    }
    perDir.push([d, pySorted(files)]);
  };
  const top = await stat(dir);
  await visit(dir, new Set([...ancestors, dirId(top)]));
  const order = pySorted(perDir.map(([d]) => d));
  const byDir = new Map(perDir);
  return order.flatMap((d) => byDir.get(d)!.map((f) => join(d, f)));
}

function fileKind(s: Stats | Dirent): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a file';
}

/** Class folders: sub-folders and symlinks to folders (torchvision's `entry.is_dir()` follows links). */
async function classDirs(root: string): Promise<string[]> {
  let top: Stats;
  try {
    top = await stat(root);
  } catch {
    throw new ZeroshiftError('DATASET', `image folder '${root}' does not exist`);
  }
  if (!top.isDirectory()) throw new ZeroshiftError('DATASET', `image folder '${root}' is not a directory`, { hint: 'folder: takes a directory with one sub-folder of images per class' });
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (e) {
    throw new ZeroshiftError('DATASET', `cannot read image folder '${root}': ${(e as Error).message}`);
  }
  const names: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) names.push(e.name);
    else if (e.isSymbolicLink() && (await stat(join(root, e.name)).then((s) => s.isDirectory(), () => false))) names.push(e.name);
  }
  const dirs = pySorted(names);
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

/** A sidecar's metadata; unreadable, non-UTF-8 or non-object JSON is a reason to skip the image. */
async function readSidecar(path: string): Promise<ReturnType<typeof parseMetadataJson>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { ok: false, reason: `metadata ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return parseMetadataJson(bytes, path);
}

const relativeId = (root: string, path: string): string => path.slice(root.length).replace(/^[\\/]+/, '');

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
  // Sorted labels: class i is the i-th folder, so any other count shifts or drops labels. Numeric
  // labels: the folder name is the index, so names past the highest folder are classes without images.
  if (classNames.length < nClasses || (mode === 'sorted' && classNames.length !== nClasses)) {
    throw new ZeroshiftError('DATASET', `${namesFile}: ${classNames.length} class names but ${root} needs ${nClasses} (${dirs.length} class folders, labels=${mode}${mode === 'sorted' ? ': one name per folder, no more, no fewer' : ''})`, {
      hint: `give one name per class folder, in the folders' ${mode === 'sorted' ? 'sorted order' : 'numeric order'}`,
    });
  }
  const files: string[][] = [];
  const problems: WalkProblems = { unusable: [], sidecars: new Set() };
  const rootId = dirId(await stat(root));
  for (const d of dirs) files.push(await walkImages(join(root, d), problems, new Set([rootId])));
  const empty = dirs.filter((_, i) => files[i].length === 0);
  if (empty.length > 0) {
    throw new ZeroshiftError('DATASET', `${root}: no image files (${IMG_EXTENSIONS.join(' ')}) in class folders ${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', ...' : ''}`);
  }
  const all = files.flat();
  // Only sidecars of listed images count; they join the fingerprint (a skipped bad one changes the numbers).
  const sidecars = new Set(all.map(sidecarOf).filter((j) => problems.sidecars.has(j)));
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'folder',
    name: basename(root),
    classNames,
    size: all.length,
    warnings: problems.unusable.length ? [`${root}: ${problems.unusable.length} entr${problems.unusable.length === 1 ? 'y' : 'ies'} not usable (listed as skipped items)`] : undefined,
    fingerprint: await fingerprintFiles(root, sidecars.size > 0 ? [...all, ...sidecars] : all, { mode, classNames, unusable: problems.unusable.map((p) => p.path) }),
    async *samples(options = {}) {
      // Listed once per stream (not per class), first, so a shard range does not repeat them.
      for (const p of problems.unusable) options.onSkip?.({ id: relativeId(root, p.path), reason: `${p.path}: ${p.reason}` });
      for (let c = 0; c < dirs.length; c++) {
        for (const path of files[c]) {
          options.signal?.throwIfAborted();
          const id = relativeId(root, path);
          const json = sidecarOf(path);
          const meta = sidecars.has(json) ? await readSidecar(json) : null;
          if (meta && !meta.ok) {
            options.onSkip?.({ id, reason: meta.reason });
            continue;
          }
          const sample: Sample = { id, image: { kind: 'path', path }, label: labels[c], metadata: { folder: dirs[c], ...(meta?.ok ? meta.metadata : {}) } };
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
    'torchvision does (sorted walk, nested folders included); optional DIR/classnames.txt gives display names; ' +
    'a JSON object beside an image (img.jpg + img.json) is its per-item metadata (--group-by FIELD)',
  options: OPTIONS,
  example: 'folder:/data/pets',
  open,
};
