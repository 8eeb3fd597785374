import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { imagenetSubset, imagenetWordnetClasses, objectnetToImagenet } from '../../src/datasets/subsets.js';
import { cli } from '../helpers/cli.js';
import { getPromptSet } from '../../src/prompts/registry.js';
import type { Result, Prediction } from '../../src/results/schema.js';
import { readFileSync } from 'node:fs';

// ImageNet-R (200 synset folders) and ObjectNet (class folders, one not mapped to ImageNet) in
// their on-disk layouts, one small image each, evaluated through the imagenet family: checks
// the subset columns, the many-to-one ObjectNet scoring and the unmapped-class exclusion.
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zs-imagenet-family-'));
  const png = await sharp({ create: { width: 16, height: 12, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
  const put = (dir: string): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'img.png'), png);
  };
  const wnids = imagenetWordnetClasses();
  for (const i of imagenetSubset('imagenet-r')) put(join(root, 'data', 'imagenet-r', wnids[i].wnid));
  for (const name of objectnetToImagenet().keys()) put(join(root, 'data', 'objectnet-1.0', 'images', name.toLowerCase().replace(/[^a-z0-9]+/g, '_')));
  put(join(root, 'data', 'objectnet-1.0', 'images', 'zz_not_in_imagenet'));
  writeFileSync(join(root, 'suite.json'), JSON.stringify({
    schemaVersion: 1, name: 'imagenet-mini', models: ['tiny-clip-shapes'],
    datasets: [{ family: 'imagenet', variants: ['imagenet-r', 'objectnet'] }],
  }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('imagenet family variants', () => {
  it('restricts ImageNet-R to its 200 columns and scores ObjectNet by the ImageNet ids mapped to each class', async () => {
    const run = await cli(['eval', '--suite', join(root, 'suite.json'), '--data-dir', join(root, 'data'), '--template', 'a photo of a {}.',
      '--cache-dir', join(root, 'cache'), '--out', join(root, 'out'), '--json', '--no-progress']);
    expect(run.stderr).not.toMatch(/^zeroshift: /m);
    expect(run.code).toBe(0);
    const results = JSON.parse(run.stdout) as Result[];
    const r = results.find((x) => x.dataset.variant === 'imagenet-r')!;
    const o = results.find((x) => x.dataset.variant === 'objectnet')!;

    // A named benchmark keeps its name: ObjectNet is read from objectnet-1.0/images, which the
    // folder adapter alone calls 'images' (as --data-dir D named ImageNet 'val' from D/imagenet/val).
    expect(o.dataset.name).toBe('objectnet');
    expect(o.predictionsFile).toMatch(/^tiny-clip-shapes__objectnet__none__/);
    expect(r.dataset.name).toBe('imagenet-r');
    expect(r.metrics.n).toBe(200);
    expect(r.dataset.numClasses).toBe(200);
    expect(r.dataset.subset).toBe('imagenet-r');
    // The classifier's rows are CLIP's ImageNet names restricted to the subset, in subset order.
    const clipNames = getPromptSet('imagenet').classNames as string[];
    expect(r.dataset.classNames).toEqual(imagenetSubset('imagenet-r').map((i) => clipNames[i]));

    const mapped = objectnetToImagenet().size;
    expect(o.metrics.n).toBe(mapped);
    expect(o.skipped).toHaveLength(1);
    expect(o.skipped[0].reason).toMatch(/zz_not_in_imagenet.*not scored under the protocol/);
    const columns = [...new Set([...objectnetToImagenet().values()].flat())];
    expect(o.dataset.numClasses).toBe(columns.length);
    const preds = readFileSync(join(root, 'out', o.predictionsFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Prediction);
    expect(preds).toHaveLength(mapped);
    for (const p of preds) for (const t of p.top) expect(t).toBeLessThan(columns.length);
    // The protocol is recorded as data, with imagenet-testbed's 2-pixel border crop, and each
    // prediction's `correct` follows the many-to-one table (not top[0] === label).
    expect(o.scoringProtocol.crop).toEqual({ border: 2 });
    expect(o.scoringProtocol.classColumns).toHaveLength(columns.length);
    for (const p of preds) expect(p.correct).toBe(o.scoringProtocol.labelColumns![p.label]!.includes(p.top[0]));
    expect(r.scoringProtocol).toEqual({ classColumns: [...imagenetSubset('imagenet-r')], labelColumns: null, crop: null });
  });
});
