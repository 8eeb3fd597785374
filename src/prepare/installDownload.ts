import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { fetchVerified, type FetchOptions } from './fetchFile.js';
import { makeStaging, moveChildren, removeStaging, requireArchiveRoot, requirePaths, swapIntoPlace } from './layout.js';
import type { ArchiveFormat, DownloadDataset, FileEntry } from './manifestSchema.js';
import { writeMarker, type MarkerFile } from './marker.js';
import { extractTarSafe } from './safeTar.js';
import { extractZipSafe } from './zip.js';

type Unpacker = (archive: string, dest: string) => Promise<number>;

/** How each archive format is unpacked; `file` entries are placed as they are. */
const UNPACKERS: Record<Exclude<ArchiveFormat, 'file'>, Unpacker> = {
  tar: extractTarSafe,
  'tar.gz': extractTarSafe,
  zip: extractZipSafe,
};

async function placeFile(file: FileEntry, path: string, out: string, staging: string, index: number): Promise<void> {
  if (file.format === 'file') {
    await moveChildren(await singleFileDir(path, staging, index, file.target ?? file.fileName), out);
    return;
  }
  const extracted = join(staging, `x${index}`);
  await UNPACKERS[file.format](path, extracted);
  await moveChildren(await requireArchiveRoot(extracted, file.archiveRoot ?? '', file.fileName), out);
  await unlink(path);
}

async function singleFileDir(path: string, staging: string, index: number, target: string): Promise<string> {
  const dir = join(staging, `f${index}`);
  await mkdir(dirname(join(dir, target)), { recursive: true });
  await rename(path, join(dir, target));
  return dir;
}

/** Mirror URL for a file: `<mirror>/<dataset id>/<file name>`. */
export function mirroredUrl(entry: DownloadDataset, file: FileEntry, mirror?: string): string {
  return mirror ? `${mirror.replace(/\/+$/, '')}/${entry.id}/${file.fileName}` : file.url;
}

/**
 * Downloads, verifies and unpacks every file of `entry`, then moves the finished layout to
 * `<dataDir>/<layoutDir>` with a marker. Nothing is extracted from a file whose checksum
 * fails; a failure leaves any previous layout untouched.
 */
export async function installDownload(entry: DownloadDataset, dataDir: string, fetch: FetchOptions & { mirror?: string }): Promise<MarkerFile[]> {
  const staging = await makeStaging(dataDir, entry.id);
  try {
    const out = join(staging, 'out');
    const records: MarkerFile[] = [];
    for (const [i, file] of entry.files.entries()) {
      const url = mirroredUrl(entry, file, fetch.mirror);
      const got = await fetchVerified({ url, fileName: file.fileName, checksum: file.checksum, size: file.size }, fetch);
      records.push(got.record);
      await placeFile(file, got.path, out, staging, i);
    }
    requirePaths(out, entry.requiredPaths, `dataset '${entry.id}' as unpacked`);
    await writeMarker(out, entry, records);
    await swapIntoPlace(out, join(dataDir, entry.layoutDir), staging);
    return records;
  } catch (e) {
    if (e instanceof Error && !(e instanceof ZeroshiftError) && 'code' in e) {
      throw new ZeroshiftError('DATASET', `preparing '${entry.id}' in ${dataDir} failed: ${e.message}`, { cause: e });
    }
    throw e;
  } finally {
    await removeStaging(staging);
  }
}
