import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/model/loadModel.js';

const texts = ['a photo of a red circle.', 'a drawing of a star.'];

describe('loadModel with a facts cache', () => {
  it('records the facts of the first load, then defers sessions yet gives identical embeddings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-facts-'));
    const eager = await loadModel(undefined, { factsDir: dir });
    const expected = await eager.encodeText(texts);
    await eager.dispose();
    expect(await readdir(join(dir, 'models'))).toHaveLength(1);

    const lazy = await loadModel(undefined, { factsDir: dir });
    expect(lazy.info).toEqual(eager.info);
    expect(Array.from(await lazy.encodeText(texts))).toEqual(Array.from(expected));
    await lazy.dispose();
  });

  it('ignores a damaged facts file and loads eagerly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-facts-'));
    await (await loadModel(undefined, { factsDir: dir })).dispose();
    const [file] = await readdir(join(dir, 'models'));
    await writeFile(join(dir, 'models', file), '{"schemaVersion": 1, "embedDim": "x"}');
    const m = await loadModel(undefined, { factsDir: dir });
    expect(m.info.embedDim).toBe(64);
    await m.dispose();
  });

  it('exposes the raw text embeddings the testbed ensembling rule averages', async () => {
    const m = await loadModel();
    const raw = await m.encodeTextRaw!(texts);
    const norm = await m.encodeText(texts);
    const d = m.info.embedDim;
    const n0 = Math.hypot(...raw.subarray(0, d));
    expect(n0).not.toBeCloseTo(1, 3);
    for (let k = 0; k < d; k++) expect(raw[k] / n0).toBeCloseTo(norm[k], 6);
    await m.dispose();
  });
});
