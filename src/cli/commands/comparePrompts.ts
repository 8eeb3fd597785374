import type { Command } from 'commander';
import type { CommandRegistrar } from './index.js';
import type { CliContext } from '../context.js';
import { collect, positiveInt, choice } from '../options.js';
import { addRuntimeOptions, runtimeOptionsFrom } from '../../model/cliModelOptions.js';
import { specTarget } from '../../eval/specTargets.js';
import { runPlan } from '../../eval/runPlan.js';
import { rankPromptSets, rankingTable } from '../../eval/comparePrompts.js';
import { parseShift } from '../../shifts/registry.js';
import { loadPromptSet } from '../../prompts/registry.js';
import { ProgressReporter } from '../progress.js';
import { defaultCacheDir } from '../../util/dataDir.js';
import { withInterrupts } from '../interrupts.js';
import { ZeroshiftError } from '../../errors.js';
import type { PromptRef, EvalUnit } from '../../eval/types.js';

interface CompareFlags {
  model: string;
  dataset: string;
  prompts?: string[];
  eachTemplate?: boolean;
  shift?: string;
  ensembling: 'clip' | 'testbed';
  out: string;
  json?: boolean;
  cacheDir?: string;
  cache: boolean;
  dtype: string;
  device: string;
  threads: string;
  batchSize: number;
  progress: boolean;
}

const EXAMPLES = `
Examples:
  $ zeroshift compare-prompts --dataset shapes:standard --prompts shapes-shape --prompts shapes-photo --prompts shapes-plain
  $ zeroshift compare-prompts --dataset shapes:sketch --prompts shapes-shape --each-template
  $ zeroshift compare-prompts --model ./clip --dataset wds:/data/wds_cifar10 --prompts cifar10 --prompts cb:cifar10

Prompt sets are ranked by top-1 with 95% Clopper-Pearson intervals; each is compared with the
best by McNemar's paired test on the same images. Image embeddings come from the cache, so only
the text side is computed when you compare again.`;

/** `zeroshift compare-prompts`: rank prompt sets (or each template of one set) on one dataset. */
export const registerComparePrompts: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const command = program
    .command('compare-prompts')
    .description('rank prompt sets, or each template of a set alone, by accuracy with CIs and McNemar tests')
    .option('-m, --model <ref>', 'model directory, spec file or built-in name', 'tiny-clip-shapes')
    .requiredOption('-d, --dataset <spec>', 'dataset spec, e.g. shapes:standard or wds:/data/cifar10')
    .option('-p, --prompts <set>', 'prompt set to compare (repeatable)', collect)
    .option('--each-template', 'score each template of the (single) --prompts set alone')
    .option('--shift <name:severity>', 'evaluate under a synthetic corruption')
    .option('--ensembling <rule>', 'clip or testbed', choice('--ensembling', ['clip', 'testbed'] as const), 'clip')
    .option('-o, --out <dir>', 'results directory', 'results')
    .option('--json', 'print the ranking as JSON')
    .option('--cache-dir <dir>', 'embedding cache directory')
    .option('--no-cache', 'do not use the embedding cache')
    .option('--batch-size <n>', 'images per inference batch', positiveInt('--batch-size'), 64)
    .option('--no-progress', 'no progress output');
  addRuntimeOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (flags: CompareFlags) => compare(flags, ctx));
};

async function promptRefsFor(flags: CompareFlags): Promise<PromptRef[]> {
  const sets = flags.prompts ?? [];
  if (!flags.eachTemplate) {
    if (sets.length < 2) throw new ZeroshiftError('USAGE', 'compare-prompts needs at least two --prompts sets, or one set with --each-template');
    return sets.map((set) => ({ set }));
  }
  if (sets.length !== 1) throw new ZeroshiftError('USAGE', `--each-template takes exactly one --prompts set, got ${sets.length}`);
  const { set } = await loadPromptSet(sets[0]!);
  if (set.templates.length < 2) throw new ZeroshiftError('USAGE', `prompt set '${sets[0]}' has only one template; nothing to compare`);
  return set.templates.map((t) => ({ set: sets[0]!, templates: [t], name: `${sets[0]}: ${t}` }));
}

async function compare(flags: CompareFlags, ctx: CliContext): Promise<void> {
  const target = await specTarget(flags.dataset, { where: '--dataset', onWarning: (m) => ctx.log.warn(m) });
  const unit: EvalUnit = { modelRef: flags.model, target, shift: flags.shift ? parseShift(flags.shift) : null, promptSets: await promptRefsFor(flags), ensembling: flags.ensembling };
  const reporter = new ProgressReporter(process.stderr, 5000, flags.progress && !flags.json);
  const started = performance.now();
  const outcome = await withInterrupts(ctx, (signal) =>
    runPlan([unit], {
      outDir: flags.out, cacheDir: flags.cache ? flags.cacheDir ?? defaultCacheDir() : null, batchSize: flags.batchSize,
      decodeConcurrency: 8, exifRotate: false, skipExisting: false, argv: ctx.argv, log: ctx.log, signal, keepPredictions: true,
      model: runtimeOptionsFrom(flags),
      progress: reporter.planProgress(),
    }),
  );
  const ranking = rankPromptSets(outcome.results.map((result, i) => ({ result, predictions: outcome.predictions[i]! })));
  if (flags.json) ctx.out(`${JSON.stringify(ranking, null, 2)}\n`);
  else ctx.out(`${rankingTable(ranking)}\n`);
  const t = outcome.results[0]?.timings;
  ctx.log.info(`compared ${ranking.length} prompt sets on ${outcome.results[0]?.metrics.n ?? 0} images in ${((performance.now() - started) / 1000).toFixed(2)} s (${t?.imagesFromCache ?? 0} image embeddings from cache, ${t?.imagesComputed ?? 0} computed)`);
}
