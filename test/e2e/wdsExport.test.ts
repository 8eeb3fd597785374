import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeShapesPngs } from '../../src/datasets/shapes/writePngs.js';
import { cli } from '../helpers/cli.js';
import type { Result } from '../../src/results/schema.js';

// A WebDataset in CLIP_benchmark's layout written by another tool (Python's tarfile, as
// webdataset's own writers are), from the same PNGs an ImageFolder holds: evaluating either must
// give the same numbers, and the shapes-world numbers the model is known for. The tars were made
// once by scripts/fixtures/makeWdsShapes.sh (Python never runs in the tests).
const WDS = join(import.meta.dirname, '..', 'fixtures', 'wds-shapes-dark');

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zs-wds-export-'));
  await writeShapesPngs(join(root, 'folder'), { domain: 'dark', options: { n: '160' } });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function evaluate(spec: string): Promise<Result> {
  const run = await cli(['eval', '--dataset', spec, '--template', 'a photo of a {}.', '--cache-dir', join(root, 'cache'), '--out', join(root, 'r', spec.split(':')[0]), '--json', '--no-progress']);
  expect(run.code).toBe(0);
  const [result] = JSON.parse(run.stdout) as Result[];
  return result;
}

describe('a WebDataset export made by Python tarfile', () => {
  it('scores exactly as the same images in an ImageFolder', async () => {
    const wds = await evaluate(`wds:${WDS}`);
    const folder = await evaluate(`folder:${join(root, 'folder')}`);
    expect(wds.metrics.n).toBe(160);
    expect(wds.skipped).toEqual([]);
    expect(wds.metrics).toEqual(folder.metrics);
    // The dark domain is the base model's known weakness (about half right), far above chance (1/8).
    expect(wds.metrics.acc1).toBeGreaterThan(0.3);
    expect(wds.metrics.acc1).toBeLessThan(0.75);
  });
});
