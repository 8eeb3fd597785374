import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeShardManifest } from '../../src/eval/shardManifest.js';
import { readShardManifest } from '../../src/results/shardManifest.js';
import { selectShard } from '../../src/eval/shards.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import type { EvalUnit } from '../../src/tasks/unit.js';
import { VERSION } from '../../src/util/version.js';

const units: EvalUnit[] = ['a', 'b', 'c'].map((s) => ({ modelRef: 'm', target: unknownTarget(`shapes:${s}`), shift: null, promptSets: [], ensembling: 'clip' }));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('shard manifest', () => {
  it('records suite hash, plan, shard, units and results, and keeps an earlier run\'s results on rerun', async () => {
    dir = mkdtempSync(join(tmpdir(), 'zeroshift-manifest-'));
    const suiteFile = join(dir, 'suite.json');
    writeFileSync(suiteFile, '{}');
    writeFileSync(join(dir, 'r1.json'), '{}');
    const selection = selectShard(units, '2/2', {}, () => 10)!;
    const suite = { name: 's', file: suiteFile } as Parameters<typeof writeShardManifest>[1]['suite'];
    await writeShardManifest(dir, { selection, suite, files: [join(dir, 'r1.json')], results: [] });
    const m = await readShardManifest(dir);
    expect(m.shard).toEqual({ index: 1, count: 2 });
    expect(m.plan.units).toBe(3);
    // means: null, the suite declares no averages (absent would be a manifest from before merge rebuilt them).
    expect(m.suite).toEqual({ name: 's', file: 'suite.json', sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', means: null });
    expect(m.zeroshiftVersion).toBe(VERSION);
    expect(m.units.map((u) => u.key)).toEqual(selection.units.map((u) => `m | ${u.target.spec} | none | auto | clip`));
    expect(m.results).toEqual(['r1.json']);
    // A rerun that skipped r1 (--skip-existing) and wrote r2 lists both.
    writeFileSync(join(dir, 'r2.json'), '{}');
    await writeShardManifest(dir, { selection, suite, files: [join(dir, 'r2.json')], results: [] });
    expect((await readShardManifest(dir)).results).toEqual(['r1.json', 'r2.json']);
  });

  it('reports a missing or invalid manifest naming the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'zeroshift-manifest-'));
    await expect(readShardManifest(dir)).rejects.toThrow(/shard-manifest\.json: no readable shard manifest/);
    writeFileSync(join(dir, 'shard-manifest.json'), JSON.stringify({ kind: 'zeroshift-shard-manifest' }));
    await expect(readShardManifest(dir)).rejects.toThrow(/invalid shard manifest at 'schemaVersion'/);
  });
});
