import { ZeroshiftError } from '../errors.js';
import type { ShardManifest } from './shardManifest.js';

/** A shard's output directory with its manifest. */
export interface ShardDir {
  dir: string;
  manifest: ShardManifest;
}

/** `I/N` label (1-based), the way --shard spells it. */
export function shardLabel(m: ShardManifest): string {
  return `${m.shard.index + 1}/${m.shard.count}`;
}

/**
 * Checks that the directories are the complete set of shards of one run: same suite file,
 * plan, shard count, code version and model hashes; every index present exactly once; and
 * each shard recorded results for the units it ran. Throws ZeroshiftError('MERGE') naming
 * the directories and the differing field.
 */
export function checkShardSet(shards: ShardDir[]): void {
  if (shards.length === 0) throw new ZeroshiftError('USAGE', 'zeroshift merge needs at least one shard results directory');
  const first = shards[0];
  for (const s of shards.slice(1)) {
    sameField(first, s, 'suite', (m) => (m.suite ? `${m.suite.name} (sha256 ${m.suite.sha256.slice(0, 12)})` : '--dataset run (no suite)'));
    sameField(first, s, 'plan', (m) => `${m.plan.hash} (${m.plan.units} units)`);
    sameField(first, s, 'shard count', (m) => String(m.shard.count));
    sameField(first, s, 'zeroshiftVersion', (m) => m.zeroshiftVersion);
  }
  checkModels(shards);
  checkIndices(shards);
  for (const s of shards) {
    if (s.manifest.results.length < s.manifest.units.length) {
      throw new ZeroshiftError('MERGE', `${s.dir}: shard ${shardLabel(s.manifest)} ran ${s.manifest.units.length} unit(s) but recorded ${s.manifest.results.length} result(s); rerun that shard`);
    }
  }
}

function sameField(a: ShardDir, b: ShardDir, field: string, show: (m: ShardManifest) => string): void {
  const va = show(a.manifest);
  const vb = show(b.manifest);
  if (va !== vb) {
    throw new ZeroshiftError('MERGE', `refusing to merge shards of different runs: ${field} is '${va}' in ${a.dir} but '${vb}' in ${b.dir}`);
  }
}

/** The same model name must have the same file hashes in every shard that loaded it. */
function checkModels(shards: ShardDir[]): void {
  const seen = new Map<string, { dir: string; hashes: string }>();
  for (const s of shards) {
    for (const [name, hashes] of Object.entries(s.manifest.models)) {
      const h = JSON.stringify(Object.entries(hashes).sort(([x], [y]) => x.localeCompare(y)));
      const prev = seen.get(name);
      if (prev && prev.hashes !== h) {
        throw new ZeroshiftError('MERGE', `refusing to merge shards of different models: model '${name}' has other file hashes in ${prev.dir} than in ${s.dir}`);
      }
      if (!prev) seen.set(name, { dir: s.dir, hashes: h });
    }
  }
}

function checkIndices(shards: ShardDir[]): void {
  const count = shards[0].manifest.shard.count;
  const byIndex = new Map<number, string[]>();
  for (const s of shards) byIndex.set(s.manifest.shard.index, [...(byIndex.get(s.manifest.shard.index) ?? []), s.dir]);
  for (const [index, dirs] of [...byIndex].sort(([a], [b]) => a - b)) {
    if (dirs.length > 1) throw new ZeroshiftError('MERGE', `shard ${index + 1} of ${count} is duplicated: ${dirs.join(' and ')} both hold it`);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const which = missing.map((i) => `shard ${i + 1} of ${count}`).join(', ');
    throw new ZeroshiftError('MERGE', `${which} ${missing.length > 1 ? 'are' : 'is'} missing: no shard-manifest.json of ${missing.length > 1 ? 'those shards' : 'that shard'} among ${shards.map((s) => s.dir).join(', ')}`, {
      hint: `run it with --shard ${missing[0] + 1}/${count} (shards are numbered 1..${count})`,
    });
  }
}
