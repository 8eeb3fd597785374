import { describe, it, expect } from 'vitest';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset, openDatasetOnce } from '../../src/datasets/registry.js';

describe('openDatasetOnce', () => {
  it('opens a spec once per process and shares the dataset', async () => {
    const a = await openDatasetOnce('shapes:dark?n=5');
    const b = await openDatasetOnce('shapes:dark?n=5');
    expect(b).toBe(a);
    expect(await openDataset('shapes:dark?n=5')).not.toBe(a);
  });

  it('does not remember a failed open, so fixing the data and retrying works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-once-'));
    await expect(openDatasetOnce(`folder:${dir}`)).rejects.toMatchObject({ code: 'DATASET' });
    await mkdir(join(dir, 'cat'));
    await writeFile(join(dir, 'cat', 'x.png'), 'not really a png');
    const ds = await openDatasetOnce(`folder:${dir}`);
    expect(ds.classNames).toEqual(['cat']);
  });
});
