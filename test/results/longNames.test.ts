import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { resultBaseName, keyOfResult } from '../../src/results/paths.js';
import { findResultById, writeResult } from '../../src/results/store.js';
import { boundedFileBase, MAX_READABLE_NAME } from '../../src/util/fileName.js';
import { makeResult } from '../report/resultFactory.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-long-names-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const long = (c: string): string => `${c}`.repeat(96);

describe('long model, dataset and prompt-set names', () => {
  it('a result of three 96-character names is written (it failed with ENAMETOOLONG), under 255 bytes with its temp name', async () => {
    const r = makeResult({ model: long('m'), prompts: long('p') });
    r.dataset.name = long('d');
    const file = await writeResult(dir, r, [{ id: 'a', label: 0, top5: [0], probs: [1], correct: true } as never]);
    expect(readdirSync(dir).sort()).toEqual([basename(file), r.predictionsFile].sort());
    // The atomic writer's temporary name adds `.` + `.<pid>.<random>.tmp` (about 22 characters).
    for (const f of readdirSync(dir)) expect(Buffer.byteLength(f) + 24).toBeLessThan(255);
    expect((await findResultById(dir, keyOfResult(r)))?.file).toBe(file);
  });

  it('names that differ only past the cut stay apart (a hash of the full text), short names are unchanged', () => {
    const a = boundedFileBase(`${'x'.repeat(200)}a`);
    const b = boundedFileBase(`${'x'.repeat(200)}b`);
    expect(a).not.toBe(b);
    expect(a.length).toBe(MAX_READABLE_NAME);
    expect(boundedFileBase('vit-b-32__cifar10__none__openai')).toBe('vit-b-32__cifar10__none__openai');
    const key = { model: 'm', dataset: 'd', shift: null, prompts: 'p', id: 'abcdef0123456789' };
    expect(resultBaseName(key)).toBe('m__d__none__p__abcdef012345');
  });
});
