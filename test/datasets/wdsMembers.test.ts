import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wdsAdapter } from '../../src/datasets/wds.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Sample, SkippedItem } from '../../src/datasets/types.js';
import { makeTar } from './helpers/tarWriter.js';

const root = mkdtempSync(join(tmpdir(), 'zs-wds-members-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function read(name: string, entries: { name: string; data: Uint8Array | string }[]): Promise<{ samples: Sample[]; skipped: SkippedItem[] }> {
  const dir = join(root, name);
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'classnames.txt'), 'cat\ndog\n');
  writeFileSync(join(dir, 'test', 'nshards.txt'), '1\n');
  writeFileSync(join(dir, 'test', '0.tar'), makeTar(entries));
  const ds = await wdsAdapter.open(parseDatasetSpec(`wds:${dir}`));
  const samples: Sample[] = [];
  const skipped: SkippedItem[] = [];
  for await (const s of ds.samples({ onSkip: (i) => skipped.push(i) })) samples.push(s);
  return { samples, skipped };
}

describe('wds members', () => {
  it('says a sample with a repeated member is skipped (it said the first occurrence was kept)', async () => {
    const { samples, skipped } = await read('dup', [
      { name: 'a.png', data: 'A' }, { name: 'a.png', data: 'A2' }, { name: 'a.cls', data: '1' },
      { name: 'b.png', data: 'B' }, { name: 'b.cls', data: '0' },
    ]);
    expect(samples.map((s) => s.id)).toEqual(['test/0.tar:b']);
    expect(skipped).toEqual([{ id: 'test/0.tar:a', reason: expect.stringMatching(/entry 'a\.png' appears twice\); this sample is skipped$/) }]);
  });

  it('does not count .PNG next to .png as a duplicate; the lower-case member is the image', async () => {
    const { samples, skipped } = await read('case', [
      { name: 'a.PNG', data: 'upper' }, { name: 'a.png', data: 'lower' }, { name: 'a.cls', data: '1' },
    ]);
    expect(skipped).toEqual([]);
    expect(samples).toHaveLength(1);
    expect(samples[0].image).toMatchObject({ kind: 'bytes', name: 'a.png' });
    expect(Buffer.from((samples[0].image as { bytes: Uint8Array }).bytes).toString()).toBe('lower');
  });
});
