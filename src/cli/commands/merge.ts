import type { Command } from 'commander';
import type { CommandRegistrar } from './index.js';
import { ensureWritableDir } from '../../util/writableDir.js';

interface MergeFlags {
  out: string;
}

const EXAMPLES = `
Examples:
  $ zeroshift eval --suite shapes-zoo --n 40 --shard 1/2 --out shards/1
  $ zeroshift eval --suite shapes-zoo --n 40 --shard 2/2 --out shards/2
  $ zeroshift merge shards/1 shards/2 --out shards/merged

On a cluster:
  zeroshift merge /shared/results/shard-* --out /shared/results/merged

Each directory must hold the shard-manifest.json a sharded 'zeroshift eval' writes. Shards of
different suites, plans, models or zeroshift versions are refused; a missing or duplicated
shard is named (shards are numbered 1..N, as --shard counts them). Units split by item range
are joined, with metrics recomputed exactly from
the per-item predictions. A suite that declares means (its "averages", such as sugar-crepe's
mean of its 7 files) gets them rebuilt from the merged results, as suite-averages__<suite>.json,
equal to an unsharded run's. See docs/scale-out.md.`;

/** `zeroshift merge RESULTS_DIR...`: combine shard outputs into the results of a single run. */
export const registerMerge: CommandRegistrar = (program: Command, ctx) => {
  program
    .command('merge')
    .description('combine the output directories of eval shards into the results a single run writes')
    .argument('<dirs...>', 'shard output directories (each with shard-manifest.json)')
    .option('-o, --out <dir>', 'directory for the merged results (must not be one of the shard directories)', 'results')
    .addHelpText('after', EXAMPLES)
    .action(async (dirs: string[], flags: MergeFlags) => {
      // An unusable --out fails before any shard is read (it was an internal error after the merge).
      await ensureWritableDir(flags.out, '--out');
      // Loaded on use: `zeroshift --help` must not load the result schemas and CSV writer.
      const [{ mergeShards }, { suiteMeanLines }] = await Promise.all([import('../../results/merge.js'), import('./evalTasks.js')]);
      const outcome = await mergeShards(dirs, flags.out);
      ctx.log.info(
        `merged ${outcome.shardCount} shard(s): ${outcome.files.length} result(s)` +
          (outcome.joinedUnits ? ` (${outcome.joinedUnits} unit(s) joined from item ranges)` : '') +
          ` → ${flags.out}`,
      );
      if (outcome.suiteMeans) for (const line of suiteMeanLines(outcome.suiteMeans.averages, outcome.suiteMeans.file)) ctx.log.info(line);
      if (outcome.suiteMeansSkipped) ctx.log.warn(`no suite means written: ${outcome.suiteMeansSkipped}`);
      ctx.out(`${outcome.indexFile}\n`);
    });
};
