import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isZeroshiftError } from '../../src/errors.js';
import type { HubConfig } from '../../src/hub/config.js';
import { resolveHubModel, type HubOptions } from '../../src/hub/resolve.js';
import { gitSha1, sha256, startFakeHub, type FakeHub, type FakeRepo } from './fakeHub.js';

const REPO = 'acme/tiny-clip';
const GATED = 'acme/gated-clip';
const TOKEN = 'hf_secret_test_token_123';

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

function repoFiles(seed: number): Record<string, Buffer> {
  return {
    'README.md': Buffer.from('# tiny clip\n'),
    'config.json': Buffer.from(JSON.stringify({ model_type: 'clip', logit_scale: 100 })),
    'preprocessor_config.json': Buffer.from('{"crop_size": 32}'),
    'tokenizer.json': Buffer.from('{"model": {}}'),
    'tokenizer_config.json': Buffer.from('{"model_max_length": 77}'),
    'special_tokens_map.json': Buffer.from('{}'),
    'pytorch_model.bin': bytes(3000, seed + 9),
    'onnx/text_model.onnx': bytes(40_000, seed + 1),
    'onnx/vision_model.onnx': bytes(30_000, seed + 2),
    'onnx/text_model_quantized.onnx': bytes(10_000, seed + 3),
    'onnx/vision_model_quantized.onnx': bytes(8_000, seed + 4),
    'onnx/text_model_fp16.onnx': bytes(20_000, seed + 5),
    'onnx/model.onnx': bytes(60_000, seed + 6),
  };
}

const FP32_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/text_model.onnx', 'onnx/vision_model.onnx'];

let hub: FakeHub;
let cacheDir: string;
let repos: Record<string, FakeRepo>;
const sleeps: number[] = [];

beforeEach(async () => {
  repos = { [REPO]: { files: repoFiles(1), refs: ['main', 'v1'] }, [GATED]: { files: repoFiles(2), gatedToken: TOKEN } };
  hub = await startFakeHub(repos);
  cacheDir = mkdtempSync(join(tmpdir(), 'zs-hub-'));
  sleeps.length = 0;
});
afterEach(async () => {
  await hub.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

function options(config: Partial<HubConfig> = {}, extra: Partial<HubOptions> = {}): HubOptions & { logs: string[]; warnings: string[] } {
  const logs: string[] = [];
  const warnings: string[] = [];
  return {
    config: { cacheDir, endpoint: hub.endpoint, offline: false, symlinks: true, ...config },
    retry: { attempts: 3, baseDelayMs: 100, sleep: async (ms) => void sleeps.push(ms) },
    log: (m) => logs.push(m),
    warn: (m) => warnings.push(m),
    logs,
    warnings,
    ...extra,
  };
}

const repoDir = (repo = REPO): string => join(cacheDir, `models--${repo.replace('/', '--')}`);
const snapshotDir = (repo = REPO): string => join(repoDir(repo), 'snapshots', hub.commit(repo));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])).sort();
}

async function failure(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string; hint?: string };
  }
  throw new Error('expected a failure');
}

describe('resolveHubModel: downloads', () => {
  it('resolves the revision, fetches only the fp32 files and lays them out as huggingface_hub does', async () => {
    const o = options();
    const m = await resolveHubModel(`hf:${REPO}`, 'fp32', o);
    const commit = hub.commit(REPO);
    expect(m).toMatchObject({ repo: REPO, revision: 'main', commit, dir: snapshotDir(), layout: 'split', files: FP32_FILES });
    // refs/main holds the commit sha, no newline.
    expect(readFileSync(join(repoDir(), 'refs', 'main'), 'utf8')).toBe(commit);
    // Snapshot entries are relative symlinks into blobs/, named sha256 (LFS) or git-sha1 (regular).
    const files = repos[REPO].files;
    expect(listFiles(snapshotDir())).toEqual([...FP32_FILES].sort());
    expect(readlinkSync(join(snapshotDir(), 'config.json'))).toBe(`../../blobs/${gitSha1(files['config.json'])}`);
    expect(readlinkSync(join(snapshotDir(), 'onnx/text_model.onnx'))).toBe(`../../../blobs/${sha256(files['onnx/text_model.onnx'])}`);
    for (const f of FP32_FILES) expect(readFileSync(join(snapshotDir(), f)).equals(files[f])).toBe(true);
    expect(readdirSync(join(repoDir(), 'blobs')).sort()).toEqual(FP32_FILES.map((f) => (f.endsWith('.onnx') ? sha256(files[f]) : gitSha1(files[f]))).sort());
    expect(existsSync(join(cacheDir, 'CACHEDIR.TAG'))).toBe(true);
    expect(readdirSync(join(cacheDir, '.locks', `models--acme--tiny-clip`))).toEqual([]);
    // One revision call; one HEAD per file; one GET per file (LFS bytes from the CDN origin).
    const hubCalls = hub.requests.filter((r) => r.origin === 'hub');
    expect(hubCalls[0]).toMatchObject({ method: 'GET', url: `/api/models/${REPO}/revision/main` });
    expect(hubCalls.filter((r) => r.method === 'HEAD')).toHaveLength(FP32_FILES.length);
    expect(hub.requests.filter((r) => r.origin === 'cdn').map((r) => r.url).sort()).toEqual(
      ['onnx/text_model.onnx', 'onnx/vision_model.onnx'].map((f) => `/blobs/${sha256(files[f])}`).sort(),
    );
    expect(m.downloadedBytes).toBe(FP32_FILES.reduce((s, f) => s + files[f].length, 0));
    expect(o.logs[o.logs.length - 1]).toMatch(/hf:acme\/tiny-clip@main: downloading 6 file\(s\), 70\.\d kB/);
  });

  it('fetches one dtype only: q8 adds the quantized towers, and blobs are shared with fp32', async () => {
    await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    const before = hub.requests.length;
    const q8 = await resolveHubModel(`hf:${REPO}`, 'q8', options());
    expect(q8.files.filter((f) => f.endsWith('.onnx'))).toEqual(['onnx/text_model_quantized.onnx', 'onnx/vision_model_quantized.onnx']);
    const later = hub.requests.slice(before);
    // The configs are already in the snapshot: only the two new towers are asked for.
    expect(later.filter((r) => r.method === 'HEAD').map((r) => r.url.split('/').pop()).sort()).toEqual(['text_model_quantized.onnx', 'vision_model_quantized.onnx']);
    expect(existsSync(join(snapshotDir(), 'onnx/model.onnx'))).toBe(false);
    expect(existsSync(join(snapshotDir(), 'pytorch_model.bin'))).toBe(false);
  });

  it('a dtype without graphs lists the dtypes present', async () => {
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'q4', options()));
    expect(e.message).toContain('no ONNX graphs for --dtype q4');
    // onnx/text_model_fp16.onnx alone (no vision tower) does not make fp16 usable.
    expect(e.hint).toBe('dtypes present: fp32, q8');
  });

  it('falls back to copies where symlinks are impossible', async () => {
    await resolveHubModel(`hf:${REPO}`, 'fp32', options({ symlinks: false }));
    const p = join(snapshotDir(), 'onnx/text_model.onnx');
    expect(lstatSync(p).isSymbolicLink()).toBe(false);
    expect(readFileSync(p).equals(repos[REPO].files['onnx/text_model.onnx'])).toBe(true);
  });

  it('a tag is recorded in refs/ like a branch', async () => {
    const m = await resolveHubModel(`hf:${REPO}@v1`, 'fp32', options());
    expect(m.revision).toBe('v1');
    expect(readFileSync(join(repoDir(), 'refs', 'v1'), 'utf8')).toBe(hub.commit(REPO));
    expect(existsSync(join(repoDir(), 'refs', 'main'))).toBe(false);
  });
});

describe('resolveHubModel: errors the Hub answers', () => {
  it('404 for an unknown repository says so and suggests checking the name', async () => {
    const e = await failure(resolveHubModel('hf:acme/nope', 'fp32', options()));
    expect(isZeroshiftError(e) && e.code).toBe('MODEL');
    expect(e.message).toBe('hf:acme/nope: repository not found (HTTP 404)');
    expect(existsSync(repoDir('acme/nope'))).toBe(false);
  });

  it('404 for an unknown revision names it', async () => {
    const e = await failure(resolveHubModel(`hf:${REPO}@nope`, 'fp32', options()));
    expect(e.message).toBe(`hf:${REPO}@nope: revision 'nope' not found (HTTP 404)`);
  });

  it('401 for a gated repository without a token says to set HF_TOKEN, then succeeds with it', async () => {
    const e = await failure(resolveHubModel(`hf:${GATED}`, 'fp32', options()));
    expect(e.message).toBe(`hf:${GATED}@main: the repository is gated or private (HTTP 401)`);
    expect(e.hint).toMatch(/set HF_TOKEN/);
    const wrong = await failure(resolveHubModel(`hf:${GATED}`, 'fp32', options({ token: 'hf_wrong_token' })));
    expect(wrong.hint).toMatch(/HF_TOKEN is set but has no access/);
    expect(`${wrong.message} ${wrong.hint}`).not.toContain('hf_wrong_token');
    const before = hub.requests.length;
    const m = await resolveHubModel(`hf:${GATED}`, 'fp32', options({ token: TOKEN }));
    expect(m.commit).toBe(hub.commit(GATED));
    // The token goes to the Hub's own origin only, never to the LFS storage it redirects to.
    const last = hub.requests.slice(before);
    expect(last.filter((r) => r.origin === 'hub').every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(last.filter((r) => r.origin === 'cdn').length).toBeGreaterThan(0);
    expect(last.filter((r) => r.origin === 'cdn').every((r) => r.authorization === undefined)).toBe(true);
  });

  it('503 is retried with backoff, then succeeds', async () => {
    hub.fault(`/revision/main`, { kind: 'status', status: 503 }, 2);
    hub.fault(`/vision_model.onnx`, { kind: 'status', status: 503 });
    const o = options();
    const m = await resolveHubModel(`hf:${REPO}`, 'fp32', o);
    expect(m.commit).toBe(hub.commit(REPO));
    expect(sleeps).toEqual([100, 200, 100]);
    expect(o.logs.filter((l) => l.includes('HTTP 503'))).toHaveLength(3);
  });

  it('5xx that never ends fails with NETWORK after the tries, naming the endpoint answer', async () => {
    hub.fault(`/revision/main`, { kind: 'status', status: 502 }, 10);
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options()));
    expect(isZeroshiftError(e) && e.code).toBe('NETWORK');
    expect(e.message).toMatch(/answered HTTP 502, and the model is not in the hub cache/);
    expect(sleeps).toEqual([100, 200]);
  });
});

describe('resolveHubModel: interrupted and corrupted downloads', () => {
  it('a body cut off mid-file is resumed with a Range request', async () => {
    const sha = hub.sha256(REPO, 'onnx/text_model.onnx');
    hub.fault(`/blobs/${sha}`, { kind: 'cut', after: 12_345 });
    await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    const gets = hub.requests.filter((r) => r.url === `/blobs/${sha}`);
    expect(gets).toHaveLength(2);
    expect(gets[0].range).toBeUndefined();
    // The second request starts where the received bytes end (all 12,345 unless the stream lost some).
    const from = Number(/^bytes=(\d+)-$/.exec(gets[1].range ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(12_345);
    expect(readFileSync(join(snapshotDir(), 'onnx/text_model.onnx')).equals(repos[REPO].files['onnx/text_model.onnx'])).toBe(true);
  });

  it('a cut that outlasts the tries leaves <etag>.incomplete, and the next run resumes it', async () => {
    const sha = hub.sha256(REPO, 'onnx/text_model.onnx');
    hub.fault(`/blobs/${sha}`, { kind: 'cut', after: 10_000 });
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options({}, { retry: { attempts: 1, sleep: async () => undefined } })));
    expect(isZeroshiftError(e) && e.code).toBe('NETWORK');
    const kept = readFileSync(join(repoDir(), 'blobs', `${sha}.incomplete`)).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(10_000);
    expect(e.hint).toContain(`run the command again to resume: the ${kept} bytes received are kept`);
    expect(existsSync(join(snapshotDir(), 'onnx/text_model.onnx'))).toBe(false);
    expect(existsSync(join(repoDir(), 'refs', 'main'))).toBe(false);
    await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    expect(hub.requests.filter((r) => r.url === `/blobs/${sha}`).map((r) => r.range)).toEqual([undefined, `bytes=${kept}-`]);
    expect(readFileSync(join(snapshotDir(), 'onnx/text_model.onnx')).equals(repos[REPO].files['onnx/text_model.onnx'])).toBe(true);
    expect(existsSync(join(repoDir(), 'blobs', `${sha}.incomplete`))).toBe(false);
  });

  it('bytes that do not match the sha256 are refused, never placed in snapshots/, and stay absent on the next run', async () => {
    const sha = hub.sha256(REPO, 'onnx/vision_model.onnx');
    hub.fault(`/blobs/${sha}`, { kind: 'corrupt' });
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options()));
    expect(isZeroshiftError(e) && e.code).toBe('CHECKSUM');
    expect(e.message).toMatch(new RegExp(`onnx/vision_model\\.onnx: downloaded file does not match the Hub's X-Linked-Etag \\(sha256 [0-9a-f]{64}, expected ${sha}\\)`));
    const blobs = readdirSync(join(repoDir(), 'blobs'));
    expect(blobs.filter((b) => b.startsWith(sha))).toEqual([]);
    expect(existsSync(join(snapshotDir(), 'onnx/vision_model.onnx'))).toBe(false);
    // The next run offline finds no such file: nothing bad was kept anywhere.
    const offline = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options({ offline: true })));
    expect(offline.message).toContain('is not in the hub cache');
    // Online, it is downloaded afresh (the fault is spent) and verifies.
    await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    expect(readFileSync(join(snapshotDir(), 'onnx/vision_model.onnx')).equals(repos[REPO].files['onnx/vision_model.onnx'])).toBe(true);
  });

  it('a regular file whose bytes do not match its git-sha1 ETag is refused too', async () => {
    hub.fault('/resolve/' + hub.commit(REPO) + '/tokenizer.json', { kind: 'corrupt' }, 2);
    // The HEAD takes one fault (HEAD sends no body), the GET the other.
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options()));
    expect(isZeroshiftError(e) && e.code).toBe('CHECKSUM');
    expect(e.message).toMatch(/tokenizer\.json: downloaded file does not match the Hub's ETag \(git-sha1 /);
    expect(existsSync(join(snapshotDir(), 'tokenizer.json'))).toBe(false);
  });

  it('two processes sharing a cache download each blob once', async () => {
    const [a, b] = await Promise.all([resolveHubModel(`hf:${REPO}`, 'fp32', options()), resolveHubModel(`hf:${REPO}`, 'fp32', options())]);
    expect(a.dir).toBe(b.dir);
    const cdnGets = hub.requests.filter((r) => r.origin === 'cdn').map((r) => r.url);
    expect(cdnGets.sort()).toEqual([...new Set(cdnGets)].sort());
  });
});

describe('resolveHubModel: offline and the cache', () => {
  it('an offline rerun makes no request and answers the same snapshot', async () => {
    const online = await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    const n = hub.requests.length;
    const offline = await resolveHubModel(`hf:${REPO}`, 'fp32', options({ offline: true }));
    expect(hub.requests.length).toBe(n);
    expect(offline).toEqual({ ...online, downloadedBytes: 0 });
  });

  it('offline, a missing dtype names the files and the command that fetches them', async () => {
    await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    const n = hub.requests.length;
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'q8', options({ offline: true })));
    expect(hub.requests.length).toBe(n);
    expect(e.message).toContain('no ONNX graphs for --dtype q8 (looked for onnx/text_model_quantized.onnx + onnx/vision_model_quantized.onnx');
    expect(e.hint).toBe('dtypes present: fp32; run `zeroshift models pull hf:acme/tiny-clip@main --dtype q8` where the network is reachable (without --offline or HF_HUB_OFFLINE=1)');
  });

  it('offline, a model never fetched names the command that fetches it', async () => {
    const e = await failure(resolveHubModel(`hf:${REPO}@v1`, 'fp32', options({ offline: true })));
    expect(hub.requests).toHaveLength(0);
    expect(e.message).toBe(`hf:${REPO}@v1 is not in the hub cache ${cacheDir}`);
    expect(e.hint).toMatch(/^run `zeroshift models pull hf:acme\/tiny-clip@v1`/);
  });

  it('an unreachable endpoint falls back to the cached snapshot with a warning', async () => {
    await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    const dead = 'http://127.0.0.1:9'; // the discard port: nothing listens there
    const o = options({ endpoint: dead });
    const m = await resolveHubModel(`hf:${REPO}`, 'fp32', o);
    expect(m.commit).toBe(hub.commit(REPO));
    expect(o.warnings[0]).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9: .*; using the cached snapshot [0-9a-f]{40} of hf:acme\/tiny-clip@main$/);
    expect(sleeps).toEqual([]);
  });

  it('reads a cache written the way huggingface_hub writes it, without any download', async () => {
    // Laid out by hand exactly as huggingface_hub's hf_hub_download leaves it.
    const files = repos[REPO].files;
    const commit = hub.commit(REPO);
    mkdirSync(join(repoDir(), 'refs'), { recursive: true });
    writeFileSync(join(repoDir(), 'refs', 'main'), commit);
    for (const f of [...FP32_FILES, 'README.md', 'onnx/model.onnx']) {
      const blob = f.endsWith('.onnx') ? sha256(files[f]) : gitSha1(files[f]);
      mkdirSync(join(repoDir(), 'blobs'), { recursive: true });
      writeFileSync(join(repoDir(), 'blobs', blob), files[f]);
      const pointer = join(snapshotDir(), f);
      mkdirSync(dirname(pointer), { recursive: true });
      symlinkSync(`${'../'.repeat(f.split('/').length + 1)}blobs/${blob}`, pointer);
    }
    const offline = await resolveHubModel(`hf:${REPO}`, 'fp32', options({ offline: true }));
    expect(hub.requests).toHaveLength(0);
    expect(offline).toMatchObject({ commit, dir: snapshotDir(), layout: 'split', files: FP32_FILES });
    // Online, by commit sha: nothing to ask. By branch: one revision call, no file request.
    await resolveHubModel(`hf:${REPO}@${commit}`, 'fp32', options());
    expect(hub.requests).toHaveLength(0);
    await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    expect(hub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /api/models/${REPO}/revision/main`]);
  });
});
