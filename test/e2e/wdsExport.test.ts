import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeShapesPngs } from '../../src/datasets/shapes/writePngs.js';
import { cli } from '../helpers/cli.js';
import type { Result } from '../../src/results/schema.js';

// A WebDataset in CLIP_benchmark's layout written by another tool (Python's tarfile, as
// webdataset's own writers are), from the same PNGs an ImageFolder holds: evaluating either must
// give the same numbers, and the shapes-world numbers the model is known for.
const WRITER = `
import io, os, sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
classes = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
os.makedirs(os.path.join(dst, 'test'), exist_ok=True)
open(os.path.join(dst, 'classnames.txt'), 'w').write('\\n'.join(classes) + '\\n')
open(os.path.join(dst, 'zeroshot_classification_templates.txt'), 'w').write('a photo of a {c}.\\n')
items = sorted((c, f) for c in classes for f in os.listdir(os.path.join(src, c)))
shards = [items[: len(items) // 2], items[len(items) // 2 :]]
for i, shard in enumerate(shards):
    with tarfile.open(os.path.join(dst, 'test', f'{i}.tar'), 'w', format=tarfile.USTAR_FORMAT) as tar:
        for c, f in shard:
            key = f'{c}_{os.path.splitext(f)[0]}'
            for name, data in ((key + '.png', open(os.path.join(src, c, f), 'rb').read()), (key + '.cls', str(classes.index(c)).encode())):
                info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
open(os.path.join(dst, 'test', 'nshards.txt'), 'w').write(f'{len(shards)}\\n')
`;

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zs-wds-export-'));
  await writeShapesPngs(join(root, 'folder'), { domain: 'dark', options: { n: '160' } });
  writeFileSync(join(root, 'writer.py'), WRITER);
  execFileSync('python3', [join(root, 'writer.py'), join(root, 'folder'), join(root, 'wds')]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function evaluate(spec: string): Promise<Result> {
  const run = await cli(['eval', '--dataset', spec, '--template', 'a photo of a {}.', '--cache-dir', join(root, 'cache'), '--out', join(root, 'r', spec.split(':')[0]!), '--json', '--no-progress']);
  expect(run.code).toBe(0);
  const [result] = JSON.parse(run.stdout) as Result[];
  return result!;
}

describe('a WebDataset export made by Python tarfile', () => {
  it('scores exactly as the same images in an ImageFolder', async () => {
    const wds = await evaluate(`wds:${join(root, 'wds')}`);
    const folder = await evaluate(`folder:${join(root, 'folder')}`);
    expect(wds.metrics.n).toBe(160);
    expect(wds.skipped).toEqual([]);
    expect(wds.metrics).toEqual(folder.metrics);
    // The dark domain is the base model's known weakness (about half right), far above chance (1/8).
    expect(wds.metrics.acc1).toBeGreaterThan(0.3);
    expect(wds.metrics.acc1).toBeLessThan(0.75);
  });
});
