import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerDatasets } from '../../src/cli/commands/datasets.js';
import type { CliContext } from '../../src/cli/context.js';
import { memoryLogger } from '../../src/util/log.js';

const root = mkdtempSync(join(tmpdir(), 'zs-cli-ds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ out: string; log: ReturnType<typeof memoryLogger> }> {
  let out = '';
  const log = memoryLogger();
  const ctx: CliContext = { log, out: (t) => (out += t), verbose: false, argv: ['zeroshift', ...args] };
  const program = new Command('zeroshift').exitOverride();
  registerDatasets(program, ctx);
  await program.parseAsync(args, { from: 'user' });
  return { out, log };
}

describe('zeroshift datasets', () => {
  it('lists adapters, families and corruptions', async () => {
    const { out } = await run(['datasets']);
    for (const id of ['wds', 'folder', 'csv', 'cifar', 'mnist', 'npy']) expect(out).toMatch(new RegExp(`^  ${id} `, 'm'));
    expect(out).toContain('e.g. wds:/data/wds_cifar10?split=test');
    expect(out).toMatch(/imagenet-r +folder:\{dataDir\}\/imagenet-r/);
    expect(out).toMatch(/\* cifar10 +cifar:\{dataDir\}\/cifar-10-batches-bin/);
    expect(out).toMatch(/^Corruptions: /m);
  });

  it('shows a dataset: size, classes, samples', async () => {
    const dir = join(root, 'pets');
    for (const [c, f] of [['cat', 'a.png'], ['dog', 'b.png'], ['dog', 'c.png']] as const) {
      mkdirSync(join(dir, c), { recursive: true });
      writeFileSync(join(dir, c, f), 'x');
    }
    const { out } = await run(['datasets', 'show', `folder:${dir}`, '--samples', '2']);
    expect(out).toContain('size:        3');
    expect(out).toContain('classes:     2: cat, dog');
    expect(out).toContain('templates:   (none in the dataset)');
    expect(out).toMatch(/cat\/a\.png {2}label 0 \(cat\)/);
    expect(out).toMatch(/dog\/b\.png {2}label 1 \(dog\)/);
    expect(out).not.toContain('dog/c.png  label');
  });

  it('fails with the known adapters on an unknown one', async () => {
    await expect(run(['datasets', 'show', 'zip:/x'])).rejects.toThrow(/unknown dataset adapter 'zip'; known: babel-imagenet, cifar, (\S+, )*folder, (\S+, )*(wds|… \(\d+ in all\))$/);
  });

  it('shows a dataset by the names eval --dataset takes (shapes-dark, cifar10.1)', async () => {
    const { out } = await run(['datasets', 'show', 'shapes-dark', '--samples', '1']);
    expect(out).toContain('spec:        shapes:dark?n=1000&seed=0&task=shape');
    expect(out).toContain('size:        1000');
    // Not prepared: the error says where it looked and which one entry to prepare there.
    const dataDir = join(root, 'no data');
    await expect(run(['datasets', 'show', 'cifar10.1', '--data-dir', dataDir])).rejects.toMatchObject({
      message: expect.stringContaining(`${dataDir}/cifar-10.1/cifar10.1_v6_data.npy not found`),
      hint: `prepare the data first: zeroshift prepare cifar10.1 --data-dir '${dataDir}'`,
    });
    await expect(run(['datasets', 'show', 'cifar10.2'])).rejects.toThrow(/'cifar10.2' is neither a dataset spec \(adapter:path\) nor a prepared dataset name; did you mean 'cifar10.1'\?/);
  });
});
