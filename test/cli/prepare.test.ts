import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { isZeroshiftError } from '../../src/errors.js';
import { memoryLogger } from '../../src/util/log.js';
import { cifarSuiteFiles, startLoopbackServer, type LoopbackServer } from '../prepare/fixtures.js';

let dataDir: string;
let server: LoopbackServer;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'zs-cli-prepare-'));
  server = await startLoopbackServer(cifarSuiteFiles());
});
afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ out: string; error?: unknown; log: ReturnType<typeof memoryLogger> }> {
  let out = '';
  const log = memoryLogger();
  const ctx: CliContext = { log, out: (t) => void (out += t), verbose: false, argv: ['zeroshift', ...args] };
  try {
    await buildProgram(ctx).parseAsync(args, { from: 'user' });
    return { out, log };
  } catch (error) {
    return { out, error, log };
  }
}

describe('zeroshift prepare', () => {
  it('--list shows every dataset with its status and the suites', async () => {
    const { out, error } = await run(['prepare', '--list', '--data-dir', dataDir]);
    expect(error).toBeUndefined();
    expect(out).toContain(`data dir: ${dataDir}`);
    expect(out).toMatch(/\[ \] cifar10\.1 /);
    expect(out).toMatch(/\(you supply it\) ImageNet/);
    expect(out).toContain('cifar10-robustness = cifar10 + cifar10.1 + cifar10-c');
  });

  it('--offline makes no request and fails listing the missing datasets with their commands', async () => {
    const { out, error } = await run(['prepare', 'cifar10-robustness', '--offline', '--data-dir', dataDir, '--mirror', server.baseUrl]);
    expect(server.requests).toHaveLength(0);
    expect(isZeroshiftError(error) && error.code).toBe('DATASET');
    expect((error as Error).message).toBe('3 dataset(s) not available: cifar10, cifar10.1, cifar10-c');
    expect(out).toContain(`zeroshift prepare cifar10-c --data-dir ${JSON.stringify(dataDir)}`);
  });

  it('verifies mirrored files against the published checksums and refuses a mismatch', async () => {
    // The loopback files are small fakes, so the real CIFAR-10.1 md5s cannot match.
    const { error } = await run(['prepare', 'cifar10.1', '--data-dir', dataDir, '--mirror', server.baseUrl]);
    expect(isZeroshiftError(error) && error.code).toBe('CHECKSUM');
    expect((error as Error).message).toContain("expected 4fcae82cb1326aec9ed1dc1fc62345b8 (source: md5 published alongside the files' loaders");
    // The manifest's source is a sentence or a URL: it read "published in md5 published alongside…".
    expect((error as Error).message).not.toContain('published in');
    expect(server.requests.map((r) => r.path)).toEqual(['/cifar10.1/cifar10.1_v6_data.npy']);
    expect(readdirSync(join(dataDir, '.downloads'))).toEqual([]);
    expect(existsSync(join(dataDir, 'cifar-10.1'))).toBe(false);
  });

  it('rejects an unknown name listing the known ones', async () => {
    const { error } = await run(['prepare', 'cifar11', '--data-dir', dataDir]);
    expect((error as Error).message).toMatch(/unknown dataset or suite 'cifar11'; did you mean 'cifar10'\?; known: .*cifar10-robustness/);
  });

  it('checks a user-supplied ImageNet and explains where to put it', async () => {
    const { out, error } = await run(['prepare', 'imagenet', '--data-dir', dataDir]);
    expect(isZeroshiftError(error) && error.code).toBe('DATASET');
    expect(out).toContain(`${join(dataDir, 'imagenet', 'val')} does not exist`);
    expect(out).toContain('image-net.org');
  });
});
