import type { Command } from 'commander';
import type { CommandRegistrar } from './index.js';
import type { CliContext } from '../context.js';
import { defaultCacheDir } from '../../util/dataDir.js';
import { verifyCache, compactCache, type CacheReport } from '../../cache/maintenance.js';
import { ZeroshiftError } from '../../errors.js';

interface CacheFlags {
  cacheDir?: string;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  $ zeroshift cache verify
  $ zeroshift cache verify --json
  $ zeroshift cache compact

With another cache:
  zeroshift cache verify --cache-dir /scratch/zs-cache
  zeroshift cache compact --cache-dir /scratch/zs-cache

verify reads every pack, classifier and the directory layout and lists what is damaged:
records that fail their checksum (with how many images are lost, i.e. held by no valid record
and so embedded again by the next run), torn tails of interrupted writes, '*.pack' entries
that are not files, files where a cache directory belongs, damaged classifier files. It exits
1 when something is damaged, else 0. compact repairs all of it in place (valid records are kept,
written to a new pack before the old one is removed), so runs stop warning. Packs of a run that
is still writing are left alone. See docs/reliability.md.`;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Human-readable lines of a verify report. */
export function reportLines(r: CacheReport): string[] {
  if (!r.exists) return [`cache ${r.root}: empty (no directory yet)`];
  const records = r.namespaces.reduce((s, n) => s + n.records, 0);
  const lines = [`cache ${r.root}: ${plural(r.namespaces.length, 'image namespace')}, ${plural(records, 'embedding')}, ${plural(r.classifiers.files, 'classifier')}`];
  for (const p of r.layout) lines.push(`  damaged layout: ${p.path} is a ${p.found} where a directory belongs`);
  for (const n of r.namespaces) {
    const parts = [`${plural(n.records, 'record')} in ${plural(n.packs, 'pack')}`];
    if (n.damaged) parts.push(`${plural(n.damaged, 'damaged record')} (${plural(n.lost, 'entry', 'entries')} lost: held by no valid record)`);
    if (n.tornBytes) parts.push(`${n.tornBytes} torn byte(s) at the end of interrupted writes`);
    lines.push(`  ${n.dir}: ${parts.join('; ')}`);
    for (const p of n.notPacks) lines.push(`    ${p}: not a pack file (a directory or special file)`);
  }
  for (const c of r.classifiers.damaged) lines.push(`  classifier ${c.file} ${c.reason}`);
  const damaged = r.namespaces.reduce((s, n) => s + n.damaged, 0);
  const lost = r.namespaces.reduce((s, n) => s + n.lost, 0);
  const odd = r.namespaces.reduce((s, n) => s + n.notPacks.length, 0);
  lines.push(r.healthy
    ? 'healthy: nothing damaged'
    : `damaged: ${plural(damaged, 'record')} (${plural(lost, 'entry', 'entries')} lost), ${plural(r.classifiers.damaged.length, 'classifier file')}, ${plural(r.layout.length + odd, 'layout problem')}; run 'zeroshift cache compact' to repair`);
  return lines;
}

async function verify(flags: CacheFlags, ctx: CliContext): Promise<void> {
  const report = await verifyCache(flags.cacheDir ?? defaultCacheDir());
  if (flags.json) ctx.out(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.out(`${reportLines(report).join('\n')}\n`);
  if (!report.healthy) throw new ZeroshiftError('CACHE', 'the cache is damaged (listed above)', { hint: "run 'zeroshift cache compact' to repair it" });
}

async function compact(flags: CacheFlags, ctx: CliContext): Promise<void> {
  const root = flags.cacheDir ?? defaultCacheDir();
  const o = await compactCache(root);
  for (const f of o.removed) ctx.log.info(`removed ${f}`);
  for (const f of o.inUse) ctx.log.warn(`${f}: its writer is still running; left alone (compact again when it has finished)`);
  ctx.out(`compacted ${root}: ${plural(o.rewrittenPacks, 'pack')} rewritten, ${plural(o.keptRecords, 'valid record')} kept, ${plural(o.droppedRecords, 'damaged record')} dropped, ${plural(o.removed.length, 'damaged entry', 'damaged entries')} removed\n`);
}

/** `zeroshift cache verify|compact`: check and repair the embedding cache. */
export const registerCache: CommandRegistrar = (program: Command, ctx) => {
  const cache = program
    .command('cache')
    .description('check (verify) or repair (compact) the embedding and classifier cache')
    .addHelpText('after', EXAMPLES);
  const dirHelp = 'cache directory (default: $ZEROSHIFT_CACHE_DIR, $XDG_CACHE_HOME/zeroshift or ~/.cache/zeroshift)';
  cache
    .command('verify')
    .description('list damaged records, lost entries and layout problems; exit 1 when something is damaged')
    .option('--cache-dir <dir>', dirHelp)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', EXAMPLES)
    .action((flags: CacheFlags) => verify(flags, ctx));
  cache
    .command('compact')
    .description('rewrite packs without their damaged records and remove damaged entries, so runs stop warning')
    .option('--cache-dir <dir>', dirHelp)
    .addHelpText('after', EXAMPLES)
    .action((flags: CacheFlags) => compact(flags, ctx));
};
