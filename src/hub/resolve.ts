/**
 * `hf:ORG/NAME[@REV]` → a snapshot directory in the hub cache holding the files one dtype of
 * the model needs: served from the cache when it can be (always offline), downloaded and
 * verified otherwise, and laid out so Python's huggingface_hub can use it too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import type { RetryPolicy } from '../prepare/download.js';
import { formatBytes } from '../prepare/progressLine.js';
import { fetchBlob } from './blob.js';
import { RepoCache } from './cacheLayout.js';
import { HubClient, HubTransientError, type FileMeta } from './client.js';
import type { HubConfig } from './config.js';
import { formatHubRef, isCommitSha, parseHubRef, type HubRef } from './ref.js';
import { selectFiles, type HubLayout } from './select.js';
import { unsafeRelativePath } from '../util/containedPath.js';
import { checkFileSize, type ModelLimits } from '../util/modelLimits.js';

/** A byte progress display for one model's downloads. */
export interface HubProgress {
  start(label: string, totalBytes: number): void;
  update(doneBytes: number): void;
  stop(): void;
}

/** How to reach the Hub and whom to tell what happens. */
export interface HubOptions {
  config: HubConfig;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** One line per event worth telling (a download starting, a retry). */
  log?: (message: string) => void;
  /** Falling back to the cache because the endpoint cannot be reached. */
  warn?: (message: string) => void;
  progress?: HubProgress;
  /**
   * Answers already given in this command, keyed by reference and dtype: a run resolves each
   * model once (preflight, then load) and sees one commit even if a branch moves meanwhile.
   */
  memo?: Map<string, Promise<HubModel>>;
  /** Milliseconds without a byte before a download try is abandoned (default 30 s). */
  stallTimeoutMs?: number;
  /** Size limits per kind of file, checked against the sizes the Hub announces (default DEFAULT_MODEL_LIMITS). */
  limits?: ModelLimits;
  /**
   * The external-data locations a downloaded graph file references (relative to its folder;
   * the model layer passes model/onnxExternalData's reader). The files that are in the
   * repository are fetched too, whatever their names (`weights.bin`), not only `*.onnx_data*`.
   */
  referencedFiles?: (graphFile: string) => string[];
}

/** What results record about a Hub model (never the token). */
export interface HubIdentity {
  repo: string;
  /** The revision as asked (`main` when none was given). */
  revision: string;
  /** The commit sha it resolved to. */
  commit: string;
}

/** A model present in the cache. */
export interface HubModel extends HubIdentity {
  /** `snapshots/<commit>`: a model directory in the transformers.js layout. */
  dir: string;
  layout: HubLayout;
  /** The selected files ('/'-separated repository paths). */
  files: string[];
  /** Bytes downloaded by this call (0 when served from the cache). */
  downloadedBytes: number;
}

/** The shell command that fetches `ref` into the cache. */
export function pullCommand(ref: HubRef, dtype: string): string {
  return `zeroshift models pull ${formatHubRef(ref)}${dtype === 'fp32' ? '' : ` --dtype ${dtype}`}`;
}

function modelTypeOf(configFile: string): string | undefined {
  try {
    const t = (JSON.parse(readFileSync(configFile, 'utf8')) as { model_type?: unknown }).model_type;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** The cache's answer for `ref`, or a ZeroshiftError saying what is missing and how to fetch it. */
function fromCache(ref: HubRef, cache: RepoCache, dtype: string, cacheDir: string, options: HubOptions): HubModel | ZeroshiftError {
  const asked = formatHubRef(ref);
  const fetch = `run \`${pullCommand(ref, dtype)}\` where the network is reachable (without --offline or HF_HUB_OFFLINE=1)`;
  const commit = isCommitSha(ref.revision) ? ref.revision : cache.readRef(ref.revision);
  if (commit === undefined || !existsSync(cache.snapshotDir(commit))) {
    return new ZeroshiftError('MODEL', `${asked} is not in the hub cache ${cacheDir}${commit ? ` (refs/${ref.revision} names ${commit}, which has no snapshot)` : ''}`, {
      hint: `${fetch}, or set HF_HUB_CACHE to the cache that holds it`,
    });
  }
  const present = cache.snapshotFiles(commit);
  let selection;
  try {
    selection = selectFiles(present, dtype, { ref: `${asked} (cached snapshot ${commit})`, modelType: modelTypeOf(cache.pointerPath(commit, 'config.json')) });
  } catch (e) {
    const z = e as ZeroshiftError;
    return new ZeroshiftError(z.code, z.message, { hint: `${z.hint ? `${z.hint}; ` : ''}${fetch}` });
  }
  // A snapshot pulled before referenced files were fetched may lack a graph's `weights.bin`.
  const referenced = referencedRepoFiles(selection.files, present, cache, commit, options);
  const lacking = referenced.filter((f) => !present.includes(f));
  if (lacking.length > 0) {
    return new ZeroshiftError('MODEL', `${asked}: the cached snapshot ${commit} lacks ${lacking.map((f) => JSON.stringify(f)).join(', ')}, which its graphs reference`, { hint: fetch });
  }
  const base = { ...ref, commit, dir: cache.snapshotDir(commit), layout: selection.layout, files: [...selection.files, ...referenced.filter((f) => !selection.files.includes(f))], downloadedBytes: 0 };
  if (!present.includes('config.json') && !present.includes('open_clip_config.json')) {
    return new ZeroshiftError('MODEL', `${asked}: config.json is missing from the cached snapshot ${base.dir}`, { hint: fetch });
  }
  return base;
}

/**
 * Resolves a `hf:` reference to a verified snapshot directory, downloading what is missing
 * for `dtype` unless `config.offline`. A branch or tag is resolved through the revision API
 * (one request) and recorded in refs/; a commit sha whose files are cached makes no request.
 * When the endpoint cannot be reached and the cache can answer, the cache answers (with a warning).
 * @throws ZeroshiftError MODEL (not in the cache offline, not found, gated), NETWORK, CHECKSUM.
 */
export function resolveHubModel(refText: string, dtype: string, options: HubOptions): Promise<HubModel> {
  const key = `${refText}\n${dtype}`;
  const known = options.memo?.get(key);
  if (known) return known;
  const answer = resolveUncached(refText, dtype, options);
  options.memo?.set(key, answer);
  answer.catch(() => options.memo?.delete(key));
  return answer;
}

async function resolveUncached(refText: string, dtype: string, options: HubOptions): Promise<HubModel> {
  const ref = parseHubRef(refText);
  const { config } = options;
  const cache = new RepoCache(config.cacheDir, ref.repo);
  const cached = fromCache(ref, cache, dtype, config.cacheDir, options);
  if (config.offline) {
    if (cached instanceof ZeroshiftError) throw cached;
    return cached;
  }
  if (!(cached instanceof ZeroshiftError) && isCommitSha(ref.revision)) return cached;
  const client = new HubClient(config, {
    retry: options.retry,
    signal: options.signal,
    onRetry: (n, ms, why) => options.log?.(`${formatHubRef(ref)}: ${why}; retry ${n} in ${(ms / 1000).toFixed(1)} s`),
  });
  let info;
  try {
    // With a cached answer in hand, one try: an unreachable endpoint should not delay a run.
    info = await client.revision(ref.repo, ref.revision, cached instanceof ZeroshiftError ? undefined : 1);
  } catch (e) {
    if (!(e instanceof HubTransientError)) throw e;
    if (!(cached instanceof ZeroshiftError)) {
      options.warn?.(`${e.message}; using the cached snapshot ${cached.commit} of ${formatHubRef(ref)}`);
      return cached;
    }
    throw new ZeroshiftError('NETWORK', `${formatHubRef(ref)}: ${e.message}, and the model is not in the hub cache ${config.cacheDir}`, {
      hint: 'check the network or HF_ENDPOINT; on a machine without network, pull the model elsewhere into a shared HF_HUB_CACHE',
    });
  }
  return download(ref, info.sha, info.siblings, dtype, cache, client, options);
}

async function download(ref: HubRef, commit: string, siblings: string[], dtype: string, cache: RepoCache, client: HubClient, options: HubOptions): Promise<HubModel> {
  const asked = formatHubRef(ref);
  checkRepoFileNames(asked, commit, siblings);
  const have = (path: string): boolean => existsSync(cache.pointerPath(commit, path));
  await cache.tagCacheDir();
  let downloadedBytes = 0;
  // config.json first: its model_type decides whether a SigLIP's combined graph is needed.
  if (siblings.includes('config.json') && !have('config.json')) downloadedBytes += await fetchFiles(['config.json'], ref, commit, cache, client, options);
  const selection = selectFiles(siblings, dtype, { ref: asked, modelType: modelTypeOf(cache.pointerPath(commit, 'config.json')) });
  downloadedBytes += await fetchFiles(selection.files.filter((f) => !have(f)), ref, commit, cache, client, options);
  // Then what the graphs themselves reference beyond the `*.onnx_data*` convention (`weights.bin`).
  const referenced = referencedRepoFiles(selection.files, siblings, cache, commit, options).filter((f) => !selection.files.includes(f));
  downloadedBytes += await fetchFiles(referenced.filter((f) => !have(f)), ref, commit, cache, client, options, true);
  await cache.writeRef(ref.revision, commit);
  return { ...ref, commit, dir: cache.snapshotDir(commit), layout: selection.layout, files: [...selection.files, ...referenced], downloadedBytes };
}

/**
 * The repository files the selected graphs reference as external data, among `listed` (the
 * Hub's file list, or the snapshot's): each location joined to its graph's folder. A location
 * that is not a plain path inside that folder is not fetched (loading the graph refuses it,
 * naming it: model/onnxExternalData.ts), and one the repository lacks is left to that error too.
 */
function referencedRepoFiles(selected: readonly string[], listed: readonly string[], cache: RepoCache, commit: string, options: HubOptions): string[] {
  if (!options.referencedFiles) return [];
  const out = new Set<string>();
  for (const graph of selected.filter((f) => f.endsWith('.onnx'))) {
    const local = cache.pointerPath(commit, graph);
    if (!existsSync(local)) continue;
    const folder = posix.dirname(graph);
    let locations: string[];
    try {
      locations = options.referencedFiles(local);
    } catch {
      // A graph that does not parse fetches nothing more; loading it says what is wrong with it.
      continue;
    }
    for (const location of locations) {
      if (unsafeRelativePath(location) !== undefined) continue;
      const path = folder === '.' ? location : `${folder}/${location}`;
      if (listed.includes(path)) out.add(path);
    }
  }
  return [...out];
}

/**
 * Refuses a file list naming any file outside the repository (absolute, `..`, backslash, NUL):
 * the Hub never lists such names, so an answer holding one is hostile or broken, and nothing of
 * it is downloaded.
 * @throws ZeroshiftError('MODEL') naming the first such file.
 */
export function checkRepoFileNames(asked: string, commit: string, siblings: readonly string[]): void {
  for (const name of siblings) {
    const why = unsafeRelativePath(name);
    if (why === undefined) continue;
    throw new ZeroshiftError('MODEL', `${asked}: the Hub's file list for commit ${commit} names ${JSON.stringify(name)}, which is not a path inside the repository (${why}); nothing was downloaded`, {
      hint: 'HF_ENDPOINT may point at a server that is not a Hugging Face Hub, or the repository is hostile; check HF_ENDPOINT and the repository name',
    });
  }
}

/** Fetches files into `snapshots/<commit>`: metadata for all first, so progress knows the total; `weights`: sized as weights, whatever their names. */
async function fetchFiles(paths: string[], ref: HubRef, commit: string, cache: RepoCache, client: HubClient, options: HubOptions, weights = false): Promise<number> {
  if (paths.length === 0) return 0;
  const metas: Array<{ path: string; meta: FileMeta }> = [];
  for (const path of paths) {
    const meta = await client.fileMeta(ref.repo, commit, path);
    // Before any byte: a 220 MB tokenizer.json is refused from its announced size.
    checkFileSize(path, meta.size, options.limits, `${formatHubRef(ref)} ${path}`, weights);
    metas.push({ path, meta });
  }
  const missing = metas.filter((m) => !existsSync(cache.blobPath(m.meta.etag)));
  const total = missing.reduce((s, m) => s + m.meta.size, 0);
  if (missing.length > 0) options.log?.(`${formatHubRef(ref)}: downloading ${missing.length} file(s), ${formatBytes(total)}, into ${cache.dir}`);
  options.progress?.start(`${ref.repo}`, total);
  let done = 0;
  try {
    for (const { path, meta } of metas) {
      const before = done;
      const fresh = await fetchBlob(cache, meta, path, {
        headers: client.headersFor(meta.url),
        download: { retry: options.retry, signal: options.signal, stallTimeoutMs: options.stallTimeoutMs, onProgress: (p) => options.progress?.update(before + p.received) },
        onWait: () => options.log?.(`${formatHubRef(ref)}: waiting for another process downloading ${path}`),
      });
      if (fresh) done += meta.size;
      await cache.linkBlob(commit, path, meta.etag, options.config.symlinks);
    }
  } finally {
    options.progress?.stop();
  }
  return done;
}

