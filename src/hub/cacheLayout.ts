/**
 * The huggingface_hub cache layout, read and written exactly as Python's huggingface_hub does:
 *
 *   <cache>/models--ORG--NAME/refs/<revision>          the commit sha, no newline
 *   <cache>/models--ORG--NAME/snapshots/<commit>/<path> relative symlink to ../../blobs/<etag>
 *   <cache>/models--ORG--NAME/blobs/<etag>              sha256 (LFS) or git-sha1 (regular file)
 *   <cache>/.locks/models--ORG--NAME/<etag>.lock
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { resolveInside } from '../util/containedPath.js';

/** `models--ORG--NAME` (huggingface_hub's repo_folder_name for model repositories). */
export function repoFolderName(repo: string): string {
  return ['models', ...repo.split('/')].join('--');
}

/** `ORG/NAME` back from a `models--ORG--NAME` folder name; undefined for other folders. */
export function repoFromFolderName(folder: string): string | undefined {
  if (!folder.startsWith('models--')) return undefined;
  return folder.slice('models--'.length).split('--').join('/');
}

/** Paths inside one repository's cache folder. */
export class RepoCache {
  readonly dir: string;

  constructor(readonly cacheDir: string, readonly repo: string) {
    this.dir = join(cacheDir, repoFolderName(repo));
  }

  refPath(revision: string): string {
    return join(this.dir, 'refs', ...revision.split('/'));
  }

  snapshotDir(commit: string): string {
    return join(this.dir, 'snapshots', commit);
  }

  /** Where a repository file appears in a snapshot (`path` uses '/' as on the Hub). */
  pointerPath(commit: string, path: string): string {
    // The path comes from the Hub's file list: it must stay inside the snapshot.
    return resolveInside(this.snapshotDir(commit), path, { source: `hf:${this.repo} (commit ${commit})`, key: 'file', code: 'MODEL' });
  }

  blobPath(etag: string): string {
    return join(this.dir, 'blobs', etag);
  }

  /** The partial download of a blob, resumed with a Range request. */
  incompletePath(etag: string): string {
    return `${this.blobPath(etag)}.incomplete`;
  }

  lockPath(etag: string): string {
    return join(this.cacheDir, '.locks', repoFolderName(this.repo), `${etag}.lock`);
  }

  /** The commit a branch or tag last resolved to, as recorded in refs/. */
  readRef(revision: string): string | undefined {
    const p = this.refPath(revision);
    if (!existsSync(p)) return undefined;
    const sha = readFileSync(p, 'utf8').trim();
    return sha === '' ? undefined : sha;
  }

  /**
   * Records `revision → commit` atomically (temp file + rename), as huggingface_hub does;
   * nothing is written for a commit sha or when the ref already holds that commit.
   */
  async writeRef(revision: string, commit: string): Promise<void> {
    if (revision === commit || this.readRef(revision) === commit) return;
    await writeFileAtomic(this.refPath(revision), commit);
  }

  /** Files of a snapshot, as '/'-separated repository paths; broken links are left out. */
  snapshotFiles(commit: string): string[] {
    const root = this.snapshotDir(commit);
    const out: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (existsSync(p) && statSync(p).isFile()) out.push(relative(root, p).split(sep).join('/'));
      }
    };
    walk(root);
    return out.sort();
  }

  /** Every commit with a snapshot folder. */
  snapshots(): string[] {
    const d = join(this.dir, 'snapshots');
    return existsSync(d) ? readdirSync(d).filter((c) => statSync(join(d, c)).isDirectory()).sort() : [];
  }

  /** Every ref as `[revision, commit]`, nested refs (`refs/pr/1`) included. */
  refs(): Array<[string, string]> {
    const root = join(this.dir, 'refs');
    const out: Array<[string, string]> = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (!e.name.endsWith('.tmp')) out.push([relative(root, p).split(sep).join('/'), readFileSync(p, 'utf8').trim()]);
      }
    };
    walk(root);
    return out.sort((a, b) => a[0].localeCompare(b[0]));
  }

  /**
   * Makes `snapshots/<commit>/<path>` point at `blobs/<etag>`, atomically: a relative symlink
   * (like huggingface_hub, so the cache can be moved) made under a temporary name and renamed
   * over the pointer. Where symlinks are impossible the blob is copied instead.
   * @returns 'symlink' or 'copy', whichever was made.
   */
  async linkBlob(commit: string, path: string, etag: string, symlinks: boolean): Promise<'symlink' | 'copy'> {
    const pointer = this.pointerPath(commit, path);
    const blob = this.blobPath(etag);
    await mkdir(dirname(pointer), { recursive: true });
    const tmp = `${pointer}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    if (symlinks) {
      try {
        await symlink(relative(dirname(pointer), blob), tmp);
        await rename(tmp, pointer);
        return 'symlink';
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        if (!SYMLINK_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      }
    }
    try {
      await copyFile(blob, tmp);
      await rename(tmp, pointer);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return 'copy';
  }

  /** Tags the cache so backup tools skip it (the CACHEDIR.TAG standard, as huggingface_hub does). */
  async tagCacheDir(): Promise<void> {
    const tag = join(this.cacheDir, 'CACHEDIR.TAG');
    if (existsSync(tag)) return;
    await mkdir(this.cacheDir, { recursive: true });
    await writeFile(tag, CACHEDIR_TAG).catch(() => undefined);
  }
}

// Errors that mean "this file system or platform cannot make symlinks here".
const SYMLINK_UNSUPPORTED = new Set(['EPERM', 'EACCES', 'ENOSYS', 'EOPNOTSUPP', 'ENOTSUP', 'EINVAL']);

const CACHEDIR_TAG =
  'Signature: 8a477f597d28d172789f06886806bc55\n' +
  '# This file is a cache directory tag created by zeroshift (huggingface_hub cache layout).\n' +
  '# For information about cache directory tags, see:\n' +
  '#\thttps://bford.info/cachedir/\n';
