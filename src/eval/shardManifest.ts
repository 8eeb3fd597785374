import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { sha256File } from '../util/hash.js';
import { VERSION } from '../util/version.js';
import type { Result } from '../results/schema.js';
import { planHash, unitKey, type ShardSelection } from './shards.js';
import type { Suite } from './suite.js';

/** File name of the manifest a sharded `eval` leaves in its --out directory. */
export const SHARD_MANIFEST_FILE = 'shard-manifest.json';

const rangeSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });

export const shardManifestSchema = z.object({
  kind: z.literal('zeroshift-shard-manifest'),
  schemaVersion: z.literal(1),
  zeroshiftVersion: z.string(),
  createdAt: z.string(),
  /** The suite and the sha256 of its file, or null for --dataset runs. */
  suite: z.object({ name: z.string(), file: z.string(), sha256: z.string() }).nullable(),
  /** The whole plan before sharding: hash of its unit keys, and how many units it has. */
  plan: z.object({ hash: z.string(), units: z.number().int().nonnegative() }),
  /** 0-based index of `count`. */
  shard: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }),
  /** The units (or item ranges of units) this shard ran. */
  units: z.array(z.object({ key: z.string(), range: rangeSchema.optional() })),
  /** Result files (names in this directory) this shard wrote. */
  results: z.array(z.string()),
  /** Model name → vision/text/tokenizer/preprocessor hashes of the models this shard loaded. */
  models: z.record(z.string(), z.record(z.string(), z.string())),
});

export type ShardManifest = z.infer<typeof shardManifestSchema>;

/** What the eval command hands over after runPlan. */
export interface ShardRunInfo {
  selection: ShardSelection;
  suite: Suite | null;
  /** Result files written by this run. */
  files: string[];
  results: Result[];
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
    suite: run.suite ? { name: run.suite.name, file: basename(run.suite.file), sha256: await sha256File(run.suite.file) } : null,
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

/** Reads and validates `dir/shard-manifest.json`; errors name the file and the failing key. */
export async function readShardManifest(dir: string): Promise<ShardManifest> {
  const file = join(dir, SHARD_MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('MERGE', `${file}: no readable shard manifest (${(e as Error).message}); was ${dir} written by 'zeroshift eval --shard I/N' (or with JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID set), and did it finish?`);
  }
  const parsed = shardManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ZeroshiftError('MERGE', `${file}: invalid shard manifest at '${issue.path.join('.')}': ${issue.message}`);
  }
  return parsed.data;
}
