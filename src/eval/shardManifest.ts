import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { sha256File } from '../util/hash.js';
import { VERSION } from '../util/version.js';
import type { Result } from '../results/schema.js';
import type { TaskResult } from '../results/envelope.js';
import { readShardManifest, SHARD_MANIFEST_FILE, type ShardManifest, type ShardSuiteMeans } from '../results/shardManifest.js';
import { planHash, unitKey, type ShardSelection } from './shards.js';
import type { Suite } from './suite.js';

/** What the eval command hands over after runPlan. */
export interface ShardRunInfo {
  selection: ShardSelection;
  suite: Suite | null;
  /** Result files written by this run. */
  files: string[];
  /** Classification and task results (their models are listed in the manifest). */
  results: (Result | TaskResult)[];
  /** What merge needs to write the suite's means (eval/suiteMeans.ts shardSuiteMeans); null or absent when it declares none. */
  means?: ShardSuiteMeans | null;
}

/**
 * Builds this shard's manifest. Results recorded by an earlier manifest of the same shard of
 * the same plan are kept, so a rerun with --skip-existing still lists every result.
 */
export async function buildShardManifest(outDir: string, run: ShardRunInfo): Promise<ShardManifest> {
  const { selection } = run;
  const plan = { hash: planHash(selection.planUnits), units: selection.planUnits.length };
  const previous = await previousResults(outDir, plan.hash, selection.spec);
  const models: ShardManifest['models'] = {};
  for (const r of run.results) models[r.model.name] = { ...r.model.hashes };
  return {
    kind: 'zeroshift-shard-manifest',
    schemaVersion: 1,
    zeroshiftVersion: VERSION,
    createdAt: new Date().toISOString(),
    suite: run.suite ? { name: run.suite.name, file: basename(run.suite.file), sha256: await sha256File(run.suite.file), means: run.means ?? null } : null,
    plan,
    shard: { index: selection.spec.index, count: selection.spec.count },
    units: selection.units.map((u) => ({ key: unitKey({ ...u, range: undefined }), ...(u.range ? { range: u.range } : {}) })),
    results: [...new Set([...previous, ...run.files.map((f) => basename(f))])].sort(),
    models,
  };
}

async function previousResults(outDir: string, hash: string, spec: { index: number; count: number }): Promise<string[]> {
  const file = join(outDir, SHARD_MANIFEST_FILE);
  if (!existsSync(file)) return [];
  const old = await readShardManifest(outDir).catch(() => null);
  if (!old || old.plan.hash !== hash || old.shard.index !== spec.index || old.shard.count !== spec.count) return [];
  return old.results.filter((f) => existsSync(join(outDir, f)));
}

/** Writes (atomically) the manifest of a sharded run into its --out directory; returns the file. */
export async function writeShardManifest(outDir: string, run: ShardRunInfo): Promise<string> {
  const manifest = await buildShardManifest(outDir, run);
  const file = join(outDir, SHARD_MANIFEST_FILE);
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}
