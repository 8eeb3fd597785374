/**
 * A hostile Hub on 127.0.0.1 (test/hub/fakeHub.ts; its servers stop by themselves): file names
 * that leave the cache, and bodies longer than the size the Hub announced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubConfig } from '../../src/hub/config.js';
import { resolveHubModel, type HubOptions } from '../../src/hub/resolve.js';
import { sha256, startFakeHub, type FakeHub } from './fakeHub.js';
import { DEFAULT_MODEL_LIMITS } from '../../src/util/modelLimits.js';

const REPO = 'acme/evil-clip';
let hub: FakeHub | undefined;
let tmp: string;
let cacheDir: string;

function files(extra: Record<string, Buffer> = {}): Record<string, Buffer> {
  return {
    'config.json': Buffer.from('{"model_type":"clip"}'),
    'tokenizer.json': Buffer.from('{"model":{}}'),
    'onnx/text_model.onnx': Buffer.alloc(1000, 1),
    'onnx/vision_model.onnx': Buffer.alloc(1000, 2),
    ...extra,
  };
}

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zs-hostile-hub-'));
  cacheDir = join(tmp, 'cache');
  mkdirSync(cacheDir);
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

function options(config: Partial<HubConfig> = {}): HubOptions {
  return {
    config: { cacheDir, endpoint: hub!.endpoint, offline: false, symlinks: true, ...config },
    retry: { attempts: 2, baseDelayMs: 0, sleep: async () => undefined },
  };
}

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(Error);
  return e as Error & { code?: string };
}

/** Every path under `dir`, relative, '/'-separated. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${prefix}${e.name}/`, ...tree(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]));
}

describe('a Hub listing file names outside the repository', () => {
  const ESCAPE = `onnx/text_model.onnx_data/${'../'.repeat(6)}escaped.txt`;
  for (const symlinks of [true, false]) {
    it(`refuses the whole download, naming the file, and writes nothing outside the cache (symlinks ${symlinks})`, async () => {
      hub = await startFakeHub({ [REPO]: { files: files({ [ESCAPE]: Buffer.from('pwned') }), anyPath: Buffer.from('pwned') } });
      const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options({ symlinks })));
      expect(e.code).toBe('MODEL');
      expect(e.message).toContain(JSON.stringify(ESCAPE));
      expect(e.message).toContain("'..' segment");
      // Nothing beside the cache, and no snapshot with any file in it.
      expect(readdirSync(tmp)).toEqual(['cache']);
      expect(tree(cacheDir).filter((p) => p.includes('escaped'))).toEqual([]);
      expect(existsSync(join(cacheDir, 'models--acme--evil-clip', 'snapshots'))).toBe(false);
    });
  }

  it('refuses absolute names, backslashes and NUL as well', async () => {
    for (const bad of ['/tmp/abs.onnx', 'onnx\\..\\..\\x', 'a\0b']) {
      hub = await startFakeHub({ [REPO]: { files: files({ [bad]: Buffer.from('x') }) } });
      const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options()));
      expect(e.code, bad).toBe('MODEL');
      expect(e.message).toContain(JSON.stringify(bad));
      await hub.close();
      hub = undefined;
    }
  });

  it('still takes the real external data files of a graph', async () => {
    hub = await startFakeHub({ [REPO]: { files: files({ 'onnx/text_model.onnx_data': Buffer.alloc(10, 3), 'onnx/text_model.onnx_data_1': Buffer.alloc(10, 4), 'onnx/text_model.onnx_datax': Buffer.alloc(1) }) } });
    const m = await resolveHubModel(`hf:${REPO}`, 'fp32', options());
    expect(m.files.filter((f) => f.includes('_data'))).toEqual(['onnx/text_model.onnx_data', 'onnx/text_model.onnx_data_1']);
  });
});

describe('a Hub sending more than it announced', () => {
  it('stops at the announced size: an endless body leaves nothing in the cache', async () => {
    hub = await startFakeHub({ [REPO]: { files: files() } });
    // The HEAD announces 1000 bytes for the graph; the CDN sends zeros without end.
    hub.fault('/blobs/' + sha256(Buffer.alloc(1000, 2)), { kind: 'endless', maxBytes: 64 * 1024 * 1024 }, 4);
    const started = Date.now();
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', options()));
    expect(e.code).toBe('CHECKSUM');
    expect(e.message).toMatch(/sent more than its published size of 1000 bytes \(announced by the Hub's X-Linked-Size\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const blobs = join(cacheDir, 'models--acme--evil-clip', 'blobs');
    const sizes = readdirSync(blobs).map((f) => statSync(join(blobs, f)).size);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(readdirSync(blobs).filter((f) => f.endsWith('.incomplete'))).toEqual([]);
  });
});

describe('a Hub file over the size limit of its kind', () => {
  it('is refused from its announced size, before a byte of it is requested', async () => {
    hub = await startFakeHub({ [REPO]: { files: files({ 'tokenizer.json': Buffer.alloc(3000, 32) }) } });
    const limits = { ...DEFAULT_MODEL_LIMITS, maxTokenizerBytes: 1000 };
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', { ...options(), limits }));
    expect(e.code).toBe('MODEL');
    expect(e.message).toMatch(/hf:acme\/evil-clip@main tokenizer\.json: 3000 bytes, over the 1000-byte limit for a tokenizer file \(ZEROSHIFT_MAX_TOKENIZER_BYTES\)/);
    expect(hub.requests.filter((r) => r.method === 'GET' && r.url.endsWith('tokenizer.json'))).toEqual([]);
  });
});

describe('a Hub that stalls', () => {
  it('says to run the command again, not to use --stall-timeout (models pull and eval have no such flag)', async () => {
    hub = await startFakeHub({ [REPO]: { files: files() } });
    hub.fault('/blobs/' + sha256(Buffer.alloc(1000, 2)), { kind: 'stall' }, 4);
    const e = await failure(resolveHubModel(`hf:${REPO}`, 'fp32', { ...options(), stallTimeoutMs: 150 }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(/sent nothing for 0\.15 s( after \d+ bytes)? \(stall timeout; run the same command again to resume from the bytes received\)/);
    expect(e.message).not.toMatch(/--stall-timeout/);
  });
});
