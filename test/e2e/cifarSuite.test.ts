import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareAll } from '../../src/prepare/prepare.js';
import { shippedManifest } from '../../src/prepare/manifest.js';
import { CIFAR10C_CORRUPTIONS } from '../../src/datasets/familyData.js';
import { cli } from '../helpers/cli.js';
import { buildCifar10CArchive, cifarSuiteFiles, loopbackManifest, startLoopbackServer, type LoopbackServer } from '../prepare/fixtures.js';
import type { Result } from '../../src/results/schema.js';

let server: LoopbackServer;
let root: string;

beforeAll(async () => {
  // The published layouts in miniature; CIFAR-10-C with all 19 corruption files, 2 images per severity.
  const files = { ...cifarSuiteFiles(), '/cifar10-c/CIFAR-10-C.tar': buildCifar10CArchive(2, [...CIFAR10C_CORRUPTIONS]) };
  server = await startLoopbackServer(files);
  root = mkdtempSync(join(tmpdir(), 'zs-e2e-cifar-'));
  await prepareAll(['cifar10-robustness'], { dataDir: join(root, 'data'), manifest: loopbackManifest(shippedManifest(), server.baseUrl, files) });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('eval --suite cifar10-robustness over loopback-prepared data', () => {
  it('evaluates CIFAR-10, CIFAR-10.1 and every CIFAR-10-C corruption x severity', async () => {
    const args = ['eval', '--suite', 'cifar10-robustness', '--data-dir', join(root, 'data'), '--cache-dir', join(root, 'cache'), '--out', join(root, 'results'), '--json', '--no-progress'];
    const run = await cli(args);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const results = JSON.parse(run.stdout) as Result[];
    expect(results).toHaveLength(2 + CIFAR10C_CORRUPTIONS.length * 5);
    const byVariant = new Map(results.map((r) => [r.dataset.variant, r]));
    expect(byVariant.get('cifar10')!.metrics.n).toBe(5);
    expect(byVariant.get('cifar10')!.dataset.isStandard).toBe(true);
    expect(byVariant.get('cifar10.1')!.metrics.n).toBe(4);
    expect(byVariant.get('cifar10-c-fog-3')!.metrics.n).toBe(2);
    for (const r of results) {
      expect(r.prompts.name).toBe('cifar10');
      expect(r.prompts.templates).toHaveLength(18);
      expect(r.dataset.classNames).toHaveLength(10);
    }
    expect(readdirSync(join(root, 'results'))).toContain('index.csv');
  });

  it('says which prepare command to run when the data is missing', async () => {
    const run = await cli(['eval', '--suite', 'cifar10-robustness', '--data-dir', join(root, 'empty'), '--no-cache', '--out', join(root, 'r2'), '--no-progress']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`zeroshift prepare cifar10-robustness --data-dir ${join(root, 'empty')}`);
  });
});
