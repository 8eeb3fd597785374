import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { fetchVerified, type FetchOptions } from './fetchFile.js';
import { makeStaging, removeStaging, requirePaths, swapIntoPlace } from './layout.js';
import type { WdsDataset } from './manifestSchema.js';
import { writeMarker, type MarkerFile } from './marker.js';

/** Base URL of a mirror's files: the Hub's resolve endpoint, or `<mirror>/<dataset id>`. */
export function wdsBaseUrl(entry: WdsDataset, mirror?: string): string {
  if (mirror) return `${mirror.replace(/\/+$/, '')}/${entry.id}`;
  return `https://huggingface.co/datasets/${entry.repo}/resolve/${entry.revision}`;
}

/** The shard count from `<split>/nshards.txt`; throws DATASET naming the URL when malformed. */
export async function readShardCount(path: string, url: string): Promise<number> {
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new ZeroshiftError('DATASET', `${url} should hold a positive shard count, found '${text.slice(0, 40)}'`);
  }
  return Number(text);
}

/**
 * Downloads a CLIP_benchmark WebDataset mirror into `<dataDir>/<layoutDir>`: classnames.txt,
 * zeroshot_classification_templates.txt, `<split>/nshards.txt` and shards `<split>/0.tar` ...
 * The mirrors publish no checksums, so this needs `trustUnverified`; the marker records each sha256.
 */
export async function installWds(entry: WdsDataset, dataDir: string, fetch: FetchOptions & { mirror?: string }): Promise<MarkerFile[]> {
  if (!fetch.trustUnverified) {
    throw new ZeroshiftError('CHECKSUM', `'${entry.id}' is a mirror without published checksums (${entry.checksumNote})`, {
      hint: `run \`zeroshift prepare ${entry.id} --trust-unverified\` to download it and record the sha256 of every file`,
    });
  }
  const base = wdsBaseUrl(entry, fetch.mirror);
  const staging = await makeStaging(dataDir, entry.id);
  const out = join(staging, 'out');
  const records: MarkerFile[] = [];
  const get = async (rel: string): Promise<string> => {
    const got = await fetchVerified({ url: `${base}/${rel}`, fileName: rel.replaceAll('/', '__'), checksum: null }, { ...fetch, downloadDir: join(staging, 'dl') });
    records.push({ ...got.record, name: rel });
    return got.path;
  };
  try {
    const placed: Record<string, string> = {};
    for (const rel of ['classnames.txt', 'zeroshot_classification_templates.txt', `${entry.split}/nshards.txt`]) placed[rel] = await get(rel);
    const shards = await readShardCount(placed[`${entry.split}/nshards.txt`], `${base}/${entry.split}/nshards.txt`);
    for (let i = 0; i < shards; i++) placed[`${entry.split}/${i}.tar`] = await get(`${entry.split}/${i}.tar`);
    await arrange(placed, out);
    requirePaths(out, entry.requiredPaths, `mirror '${entry.id}'`);
    await writeMarker(out, entry, records);
    await swapIntoPlace(out, join(dataDir, entry.layoutDir), staging);
    return records;
  } finally {
    await removeStaging(staging);
  }
}

async function arrange(placed: Record<string, string>, dir: string): Promise<void> {
  for (const [rel, path] of Object.entries(placed)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await rename(path, join(dir, rel));
  }
}
