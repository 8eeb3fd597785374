import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { silentLogger, type Logger } from '../util/log.js';
import type { DownloadProgress, RetryPolicy } from './download.js';
import { installDownload } from './installDownload.js';
import { installWds } from './installWds.js';
import { expandNames, findDataset, shippedManifest } from './manifest.js';
import type { DatasetEntry, DownloadDataset, Manifest, WdsDataset } from './manifestSchema.js';
import { acquirePrepareLock } from './lock.js';
import { datasetStatus, prepareCommand, type DatasetStatus } from './status.js';
import { userInstructions } from './userData.js';

export interface PrepareOptions {
  /** Absolute data dir (see resolveDataDir). */
  dataDir: string;
  manifest?: Manifest;
  /** Never touch the network: report what is present and what is missing. */
  offline?: boolean;
  /** Re-download and replace a layout even when it is ready or was not made by zeroshift. */
  force?: boolean;
  /** Accept files that have no published checksum (their sha256 is recorded). */
  trustUnverified?: boolean;
  /** Base URL replacing the official ones: `<mirror>/<dataset id>/<file name>` (env ZEROSHIFT_MIRROR). */
  mirror?: string;
  retry?: Partial<RetryPolicy>;
  /** Cap for files the manifest gives no size for (default 200 GB). */
  maxDownloadBytes?: number;
  /** Milliseconds without a byte before a try is abandoned (default 30 s). */
  stallTimeoutMs?: number;
  onProgress?: (dataset: string, p: DownloadProgress) => void;
  log?: Logger;
  signal?: AbortSignal;
}

/** What prepare did for one dataset. */
export interface PrepareOutcome {
  id: string;
  /** `downloaded` now, `ready` already, `missing` (offline or user-supplied and absent). */
  result: 'downloaded' | 'ready' | 'missing';
  dir: string;
  message: string;
}

function missingOutcome(entry: DatasetEntry, status: DatasetStatus, options: PrepareOptions): PrepareOutcome {
  const lines = [`${entry.id}: missing (${status.detail})`];
  if (entry.kind === 'user') lines.push(...userInstructions(entry, options.dataDir).map((l) => `  - ${l}`));
  else lines.push(`  run: ${prepareCommand(entry.id, options.dataDir, entry.kind === 'wds')}`);
  return { id: entry.id, result: 'missing', dir: status.dir, message: lines.join('\n') };
}

/** Prepares one dataset (see prepareAll). */
export async function prepareDataset(id: string, options: PrepareOptions): Promise<PrepareOutcome> {
  const log = options.log ?? silentLogger;
  const entry = findDataset(id, options.manifest ?? shippedManifest());
  const status = datasetStatus(entry, options.dataDir);
  if (status.prepared && !options.force) return { id, result: 'ready', dir: status.dir, message: `${id}: ready (${status.detail})` };
  if (entry.kind === 'user' || options.offline) return missingOutcome(entry, status, options);
  if (status.state === 'foreign' && !options.force) {
    throw new ZeroshiftError('DATASET', `${status.dir} exists but was not prepared by zeroshift (no .zeroshift-prepared.json)`, {
      hint: `move it away, or run with --force to replace it: ${prepareCommand(id, options.dataDir)} --force`,
    });
  }
  const release = await acquirePrepareLock(options.dataDir, id);
  try {
    // Another process may have finished it while this one waited to start.
    const now = datasetStatus(entry, options.dataDir);
    if (now.prepared && !options.force) return { id, result: 'ready', dir: now.dir, message: `${id}: ready (${now.detail})` };
    return await download(entry, status, options, log);
  } finally {
    await release();
  }
}

async function download(entry: DownloadDataset | WdsDataset, status: DatasetStatus, options: PrepareOptions, log: Logger): Promise<PrepareOutcome> {
  const id = entry.id;
  const mirror = options.mirror ?? process.env.ZEROSHIFT_MIRROR;
  const fetch = {
    downloadDir: join(options.dataDir, '.downloads'),
    trustUnverified: options.trustUnverified ?? false,
    mirror: mirror === '' ? undefined : mirror,
    retry: options.retry,
    maxDownloadBytes: options.maxDownloadBytes,
    stallTimeoutMs: options.stallTimeoutMs,
    signal: options.signal,
    onProgress: (p: DownloadProgress) => options.onProgress?.(id, p),
    onRetry: (n: number, ms: number, why: string) => log.warn(`${id}: ${why}; retry ${n} in ${(ms / 1000).toFixed(1)} s`),
  };
  log.info(`${id}: preparing ${entry.title} into ${status.dir}`);
  const records = entry.kind === 'wds' ? await installWds(entry, options.dataDir, fetch) : await installDownload(entry, options.dataDir, fetch);
  const unverified = records.filter((r) => !r.verified).map((r) => `${r.name} sha256 ${r.sha256}`);
  if (unverified.length > 0) log.warn(`${id}: used without a published checksum (recorded in the marker): ${unverified.join(', ')}`);
  return { id, result: 'downloaded', dir: status.dir, message: `${id}: prepared in ${status.dir}` };
}

/**
 * Prepares datasets and suites by name, one after another: downloads from the publisher
 * (or mirror), verifies checksums, unpacks safely and lays them out under the data dir.
 * Ready datasets are skipped without network access. User-supplied datasets (ImageNet,
 * ObjectNet) are only checked. With `offline`, nothing is downloaded and missing datasets
 * are reported with the command that prepares them.
 */
export async function prepareAll(names: readonly string[], options: PrepareOptions): Promise<PrepareOutcome[]> {
  const ids = expandNames(names, options.manifest ?? shippedManifest());
  const outcomes: PrepareOutcome[] = [];
  for (const id of ids) outcomes.push(await prepareDataset(id, options));
  return outcomes;
}
