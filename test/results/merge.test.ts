import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsAccumulator } from '../../src/metrics/accumulator.js';
import { mergeShards } from '../../src/results/merge.js';
import { writeResult } from '../../src/results/store.js';
import { RESULT_SCHEMA_VERSION, type Prediction, type Result } from '../../src/results/schema.js';
import type { ShardManifest } from '../../src/results/shardManifest.js';
import { VERSION } from '../../src/util/version.js';
import { acceptableColumns, plainProtocol, type ScoringProtocol } from '../../src/datasets/scoringProtocol.js';

const CLASSES = ['a', 'b', 'c', 'd', 'e', 'f'];
const N = 60;

/** Deterministic cosine rows: item i favours class (i * 7) % 6 with a margin that varies. */
function row(i: number): Float32Array {
  return Float32Array.from(CLASSES, (_, j) => (j === (i * 7) % 6 ? 0.3 + (i % 5) * 0.01 : 0.2 + ((i * 13 + j * 3) % 11) * 0.01));
}

/**
 * A many-to-one protocol: 9 dataset labels; label l is correct at positions {l % 6, (l + 1) % 6}
 * for l < 8, and label 8 is not scored.
 */
const MAPPED: ScoringProtocol = { classColumns: null, labelColumns: [...Array.from({ length: 8 }, (_, l) => [l % 6, (l + 1) % 6].sort((a, b) => a - b)), null], crop: { border: 2 } };
const MAPPED_LABELS = Array.from({ length: 9 }, (_, l) => `label-${l}`);

/** A result and its predictions over items [start, end), computed by the accumulator as the classification lane does (tasks/classificationScorer.ts). */
function scored(start: number, end: number, dataset = 'shapes-dark', protocol: ScoringProtocol = plainProtocol()): { result: Result; predictions: Prediction[] } {
  const labelOf = (i: number): number => (protocol.labelColumns ? i % 9 : i % 6);
  const acc = createMetricsAccumulator(CLASSES.length, 100, protocol.labelColumns?.length ?? CLASSES.length);
  const predictions: Prediction[] = [];
  for (let i = start; i < end; i++) {
    const ok = acceptableColumns(protocol, labelOf(i));
    if (ok) predictions.push({ id: `item-${i}`, label: labelOf(i), ...acc.add(row(i), labelOf(i), ok) });
  }
  const report = acc.finish(protocol.labelColumns ? MAPPED_LABELS : CLASSES);
  const result: Result = {
    schemaVersion: RESULT_SCHEMA_VERSION, kind: 'zeroshift-result', id: `id-${start}-${end}`, createdAt: '2026-01-01T00:00:00.000Z',
    zeroshiftVersion: VERSION, command: ['zeroshift', 'eval'], task: 'zeroshot_classification',
    model: { name: 'm', source: 'test', dtype: 'fp32', textModelPath: 't', visionModelPath: 'v', hashes: { textModel: 't1', visionModel: 'v1', tokenizer: 'k1', preprocessor: 'p1' }, embedDim: 8, logitScale: 100, contextLength: 77, scoring: { rule: 'softmax', scale: 100, bias: 0 } },
    dataset: { spec: `shapes:dark?n=${N}`, name: dataset, adapter: 'shapes', family: 'shapes', variant: 'dark', isStandard: false, fingerprint: 'fp', numClasses: 6, classNames: CLASSES, subset: null, protocol: null },
    shift: null,
    prompts: { name: 'p', source: 'shipped', templates: ['a {}.'], ensembling: 'clip', hash: 'ph' },
    scoringProtocol: protocol,
    metrics: report.metrics, perClass: report.perClass, confusion: report.confusion, skipped: [],
    timings: { totalSeconds: 1, imagesComputed: end - start, imagesFromCache: 0, imagesPerSecond: end - start },
    predictionsFile: '',
  };
  return { result, predictions };
}

function ranged(start: number, end: number, protocol: ScoringProtocol = plainProtocol()): { result: Result; predictions: Prediction[] } {
  const s = scored(start, end, 'shapes-dark', protocol);
  return { ...s, result: { ...s.result, range: { start, end, of: N, unitId: 'id-0-60' } } };
}

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zeroshift-merge-'));
  return () => rmSync(root, { recursive: true, force: true });
});

let made = 0;

/** Writes a shard directory (fresh each call): its results and a manifest (fields overridable). */
async function shard(index: number, count: number, parts: { result: Result; predictions: Prediction[] }[], over: Partial<ShardManifest> = {}): Promise<string> {
  const dir = join(root, `shard-${index}-${made++}`);
  const files: string[] = [];
  for (const p of parts) files.push((await writeResult(dir, p.result, p.predictions)).split('/').pop()!);
  const manifest: ShardManifest = {
    kind: 'zeroshift-shard-manifest', schemaVersion: 1, zeroshiftVersion: VERSION, createdAt: '2026-01-01T00:00:00.000Z',
    suite: { name: 's', file: 's.json', sha256: 'aa' }, plan: { hash: 'plan1', units: 2 }, shard: { index, count },
    units: parts.map((_, i) => ({ key: `u${i}` })), results: files, models: { m: { visionModel: 'v1' } }, ...over,
  };
  writeFileSync(join(dir, 'shard-manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('mergeShards', () => {
  it('joins item ranges into exactly the single-run result and predictions', async () => {
    const dirs = [await shard(0, 3, [ranged(0, 20), scored(0, 12, 'shapes-standard')]), await shard(1, 3, [ranged(40, 60)]), await shard(2, 3, [ranged(20, 40)])];
    const out = join(root, 'merged');
    const outcome = await mergeShards(dirs, out);
    expect(outcome).toMatchObject({ shardCount: 3, joinedUnits: 1 });
    const whole = scored(0, N);
    const merged = JSON.parse(readFileSync(join(out, 'm__shapes-dark__none__p__id-0-60.json'), 'utf8')) as Result;
    expect(merged.metrics).toEqual(whole.result.metrics);
    expect(merged.perClass).toEqual(whole.result.perClass);
    expect(merged.confusion).toEqual(whole.result.confusion);
    expect(merged.id).toBe('id-0-60');
    expect(merged.range).toBeUndefined();
    expect(merged.shards).toEqual({ count: 3, merged: ['1/3', '2/3', '3/3'] });
    expect(merged.timings.imagesComputed).toBe(N);
    const lines = readFileSync(join(out, merged.predictionsFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(JSON.parse(JSON.stringify(whole.predictions)));
    expect(readFileSync(join(out, 'index.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('names a missing shard and a duplicated shard', async () => {
    const a = await shard(0, 3, [ranged(0, 20)]);
    const c = await shard(2, 3, [ranged(20, 40)]);
    await expect(mergeShards([a, c], join(root, 'o'))).rejects.toThrow(/shard 2 of 3 is missing: no shard-manifest.json of that shard among .*shard-0-\d+, .*shard-2-\d+/);
    await expect(mergeShards([a, c], join(root, 'o'))).rejects.toMatchObject({ hint: 'run it with --shard 2/3 (shards are numbered 1..3)' });
    await expect(mergeShards([a, c, a], join(root, 'o'))).rejects.toThrow(/shard 1 of 3 is duplicated/);
  });

  it('refuses shards of different suites, plans, code versions or models, naming field and dirs', async () => {
    const a = await shard(0, 2, [ranged(0, 30)]);
    const cases: [Partial<ShardManifest>, RegExp][] = [
      [{ suite: { name: 's', file: 's.json', sha256: 'bb' } }, /suite is 's \(sha256 aa\)' in .*shard-0-\d+ but 's \(sha256 bb\)' in .*shard-1-\d+/],
      [{ plan: { hash: 'plan2', units: 2 } }, /plan is 'plan1 \(2 units\)'/],
      [{ zeroshiftVersion: '9.9.9' }, /zeroshiftVersion is '.*' in .* but '9\.9\.9'/],
      [{ models: { m: { visionModel: 'other' } } }, /different models: model 'm' has other file hashes/],
      [{ shard: { index: 1, count: 3 } }, /shard count is '2' in .* but '3'/],
    ];
    for (const [over, message] of cases) {
      const b = await shard(1, 2, [ranged(30, 60)], over);
      await expect(mergeShards([a, b], join(root, 'o'))).rejects.toThrow(message);
    }
  });

  it('refuses gaps and overlaps in item ranges', async () => {
    const gap = [await shard(0, 2, [ranged(0, 20)]), await shard(1, 2, [ranged(30, 60)])];
    await expect(mergeShards(gap, join(root, 'o'))).rejects.toThrow(/items 20-30 of id-0-60 are in no shard's results/);
    const overlap = [await shard(0, 2, [ranged(0, 40)]), await shard(1, 2, [ranged(30, 60)])];
    await expect(mergeShards(overlap, join(root, 'o'))).rejects.toThrow(/item ranges overlap at 30/);
  });

  it('joins ranged parts of a many-to-one (ObjectNet-style) unit exactly, by the recorded protocol', async () => {
    const dirs = [await shard(0, 2, [ranged(0, 27, MAPPED)]), await shard(1, 2, [ranged(27, 60, MAPPED)])];
    const out = join(root, 'merged');
    await mergeShards(dirs, out);
    const whole = scored(0, N, 'shapes-dark', MAPPED);
    const merged = JSON.parse(readFileSync(join(out, 'm__shapes-dark__none__p__id-0-60.json'), 'utf8')) as Result;
    // Label 8 is unscored: n counts only mapped items, and correctness follows the table, not top[0] === label.
    expect(merged.metrics.n).toBe(N - Math.floor(N / 9));
    expect(merged.metrics).toEqual(whole.result.metrics);
    expect(merged.perClass).toEqual(whole.result.perClass);
    expect(merged.perClass.map((c) => c.name)).toEqual(MAPPED_LABELS);
    expect(merged.scoringProtocol).toEqual(MAPPED);
    const lines = readFileSync(join(out, merged.predictionsFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Prediction);
    expect(lines).toEqual(JSON.parse(JSON.stringify(whole.predictions)));
    expect(lines.some((p) => p.correct && p.top[0] !== p.label)).toBe(true);
  });

  it('refuses parts scored under different protocols and results written by two shards', async () => {
    const mixed = [await shard(0, 2, [ranged(0, 30, MAPPED)]), await shard(1, 2, [ranged(30, 60, { ...MAPPED, crop: null })])];
    await expect(mergeShards(mixed, join(root, 'o'))).rejects.toThrow(/parts of one unit disagree on scoring protocol/);
    const twice = [await shard(0, 2, [scored(0, 10)]), await shard(1, 2, [scored(0, 10)])];
    await expect(mergeShards(twice, join(root, 'o'))).rejects.toThrow(/was written by more than one shard/);
  });

  it('refuses a manifest that lists a missing result, a shard without a manifest, and --out equal to a shard', async () => {
    const a = await shard(0, 2, [ranged(0, 30)]);
    const b = await shard(1, 2, [ranged(30, 60)]);
    rmSync(join(b, 'm__shapes-dark__none__p__items-30-60__id-30-60.json'));
    await expect(mergeShards([a, b], join(root, 'o'))).rejects.toThrow(/items-30-60__id-30-60\.json: listed in .*shard-manifest\.json but missing; rerun shard 2\/2/);
    await expect(mergeShards([a, root], join(root, 'o'))).rejects.toThrow(/no readable shard manifest/);
    await expect(mergeShards([a, b], a)).rejects.toThrow(/is also a shard directory/);
  });
});
