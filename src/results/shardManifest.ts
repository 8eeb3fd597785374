/**
 * The manifest a sharded `eval` leaves in its --out directory: its schema and reader. Merge reads
 * it here in the results layer; the eval layer (eval/shardManifest.ts) builds and writes it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { resolveInside } from '../util/containedPath.js';
import { jsonErrorReason } from '../util/jsonError.js';

/** File name of the manifest a sharded `eval` leaves in its --out directory. */
export const SHARD_MANIFEST_FILE = 'shard-manifest.json';

/**
 * What `merge` needs to write a suite's means (`suite-averages__<suite>.json`) as the unsharded
 * run does: the suite file's `averages`, its datasets (label → spec) across the whole plan,
 * `--limit`, and the prompt-set order of the shard's classification results (a dataset's mean
 * counts its first set).
 */
export const shardSuiteMeansSchema = z.object({
  averages: z.array(z.object({ name: z.string(), datasets: z.union([z.literal('all'), z.array(z.string())]) })),
  members: z.array(z.object({ label: z.string(), spec: z.string() })),
  limit: z.object({ n: z.number().int(), seed: z.number().int() }).nullable(),
  promptOrder: z.array(z.string()),
});
export type ShardSuiteMeans = z.infer<typeof shardSuiteMeansSchema>;

const rangeSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });

export const shardManifestSchema = z.object({
  kind: z.literal('zeroshift-shard-manifest'),
  schemaVersion: z.literal(1),
  zeroshiftVersion: z.string(),
  createdAt: z.string(),
  /**
   * The suite and the sha256 of its file, or null for --dataset runs; `means` is null when the
   * suite declares no averages, and absent in manifests written before merge rebuilt them.
   */
  suite: z.object({ name: z.string(), file: z.string(), sha256: z.string(), means: shardSuiteMeansSchema.nullable().optional() }).nullable(),
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

/** Reads and validates `dir/shard-manifest.json`; errors name the file and the failing key. */
export async function readShardManifest(dir: string): Promise<ShardManifest> {
  const file = join(dir, SHARD_MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('MERGE', `${file}: no readable shard manifest (${jsonErrorReason(e)}); was ${dir} written by 'zeroshift eval --shard I/N' (or with JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID set), and did it finish?`);
  }
  const parsed = shardManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ZeroshiftError('MERGE', `${file}: invalid shard manifest at '${issue.path.join('.')}': ${issue.message}`);
  }
  // Each listed result is a file of this directory: merge reads it, and never one elsewhere.
  parsed.data.results.forEach((name, i) => resolveInside(dir, name, { source: file, key: `results[${i}]`, code: 'MERGE' }));
  return parsed.data;
}
