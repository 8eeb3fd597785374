import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeResult } from '../../src/results/store.js';
import { rebuildIndex } from '../../src/results/indexCsv.js';
import { syntheticResults } from '../report/syntheticResults.js';

const out = mkdtempSync(join(tmpdir(), 'zs-partial-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('index.csv and shard parts', () => {
  it('leaves a shard part of a split unit out of index.csv, saying so (it was a row like a whole result)', async () => {
    const [whole, other] = syntheticResults(3, 40);
    await writeResult(out, whole.result, whole.predictions);
    const part = { ...other.result, id: `${other.result.id}-part`, range: { start: 0, end: 20, of: 40, unitId: 'u' } };
    const partFile = await writeResult(out, part, other.predictions.slice(0, 20));
    const left: string[] = [];
    await rebuildIndex(out, (_f, reason) => left.push(reason));
    const rows = readFileSync(join(out, 'index.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(2); // header + the whole result
    expect(left).toEqual([`${partFile}: a shard's partial result (items 0-20 of 40); merge the shards with 'zeroshift merge'`]);
  });
});
