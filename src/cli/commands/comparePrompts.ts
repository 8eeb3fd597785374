import type { Command } from 'commander';
import type { CommandRegistrar } from './index.js';
import type { CliContext } from '../context.js';
import { collect, positiveInt, choice } from '../options.js';
import { addDecodeWorkersOption, addRuntimeOptions, resolveParallelism, runtimeOptionsFrom } from '../modelOptions.js';
import type { PromptRanking } from '../../eval/comparePrompts.js';
import { ProgressReporter, duration } from '../progress.js';
import { defaultCacheDir } from '../../util/dataDir.js';
import { withInterrupts } from '../interrupts.js';
import { ZeroshiftError } from '../../errors.js';
import type { PromptRef, EvalUnit } from '../../tasks/unit.js';
import type { Prediction, Result } from '../../results/schema.js';

interface CompareFlags {
  model?: string[];
  dataset: string;
  prompts?: string[];
  template?: string[];
  eachTemplate?: boolean;
  shift?: string[];
  ensembling: 'clip' | 'testbed';
  out: string;
  json?: boolean;
  cacheDir?: string;
  cache: boolean;
  skipExisting?: boolean;
  dataDir?: string;
  n?: number;
  exifRotate?: boolean;
  textModel?: string;
  visionModel?: string;
  dtype: string;
  device: string;
  threads: string;
  decodeWorkers: string;
  batchSize: number;
  progress: boolean;
}

const DEFAULT_OUT = 'results/compare-prompts';

const EXAMPLES = `
Examples:
  $ zeroshift compare-prompts --dataset shapes:standard?n=200 --prompts shapes-shape --prompts shapes-photo --prompts shapes-plain
  $ zeroshift compare-prompts --dataset shapes-sketch --n 100 --prompts shapes-shape --each-template
  $ zeroshift compare-prompts --dataset shapes:dark?n=100 -m tiny-clip-shapes -m tiny-clip-shapes-robust --prompts shapes-shape --template "a {}." --shift fog:3

With your model or data:
  zeroshift compare-prompts --model ./clip --dataset wds:/data/wds_cifar10 --prompts cifar10 --prompts cb:cifar10
  zeroshift compare-prompts --model ./clip --dataset imagenet --prompts imagenet-cupl --prompts imagenet   # CuPL vs CLIP's 80 templates

Prompt sets are ranked by top-1 with 95% Clopper-Pearson intervals (exact ties share a rank);
each is compared with the best by McNemar's paired test on the same images. --each-template
scores every template of one set alone and the whole set as an ensemble. One ranking per
model and shift. Results go to --out (default ${DEFAULT_OUT}), apart from eval's. Image
embeddings come from the cache, so only the text side is computed when you compare again.`;

/** `zeroshift compare-prompts`: rank prompt sets (or each template of one set) on one dataset. */
export const registerComparePrompts: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const command = program
    .command('compare-prompts')
    .description('rank prompt sets, or each template of a set alone, by accuracy with CIs and McNemar tests')
    .option('-m, --model <ref>', 'model directory, spec file, built-in name or hf:ORG/NAME[@REV] (repeatable; default tiny-clip-shapes)', collect)
    .requiredOption('-d, --dataset <spec>', 'dataset spec or prepared name, e.g. shapes:standard, cifar10.1 or wds:/data/cifar10')
    .option('-p, --prompts <set>', 'prompt set to compare (repeatable)', collect)
    .option('-t, --template <text>', "a literal template with {} (repeatable; forms one prompt set 'cli')", collect)
    .option('--each-template', 'score each template of the (single) --prompts set alone, and the whole set')
    .option('--shift <name:severity>', 'evaluate under a synthetic corruption (repeatable: one ranking per shift)', collect)
    .option('--ensembling <rule>', 'clip (normalise, average, normalise) or testbed (average raw)', choice('--ensembling', ['clip', 'testbed'] as const), 'clip')
    .option('-o, --out <dir>', 'results directory', DEFAULT_OUT)
    .option('--json', 'print the rankings as JSON on stdout')
    .option('--cache-dir <dir>', 'embedding cache directory (default: $ZEROSHIFT_CACHE_DIR, $XDG_CACHE_HOME/zeroshift or ~/.cache/zeroshift)')
    .option('--no-cache', 'do not read or write the embedding cache')
    .option('--skip-existing', 'reuse results of the same identity already in --out')
    .option('--data-dir <dir>', 'where `zeroshift prepare` put the datasets (default: $ZEROSHIFT_DATA_DIR, $XDG_DATA_HOME/zeroshift or ~/.local/share/zeroshift)')
    .option('--n <count>', 'images of a generated dataset (shapes)', positiveInt('--n'))
    .option('--batch-size <n>', 'images per inference batch', positiveInt('--batch-size'), 64)
    .option('--exif-rotate', 'apply EXIF orientation (the PIL-based references do not)')
    .option('--text-model <path>', 'text tower override (dir or .onnx)')
    .option('--vision-model <path>', 'vision tower override (dir or .onnx)')
    .option('--no-progress', 'no progress output');
  addDecodeWorkersOption(addRuntimeOptions(command))
    .addHelpText('after', EXAMPLES)
    .action(async (flags: CompareFlags) => compare(flags, ctx));
};

/** The prompt sets to rank: named sets and literal templates, or each template of one set plus the set itself. */
export async function promptRefsFor(flags: Pick<CompareFlags, 'prompts' | 'template' | 'eachTemplate'>): Promise<PromptRef[]> {
  const sets = flags.prompts ?? [];
  const cli: PromptRef[] = flags.template?.length ? [{ name: 'cli', templates: flags.template }] : [];
  if (!flags.eachTemplate) {
    if (sets.length + cli.length < 2) throw new ZeroshiftError('USAGE', 'compare-prompts needs at least two prompt sets (--prompts, or --template for one more), or one set with --each-template');
    return [...sets.map((set) => ({ set })), ...cli];
  }
  if (sets.length !== 1) throw new ZeroshiftError('USAGE', `--each-template takes exactly one --prompts set, got ${sets.length}`);
  const { loadPromptSet } = await import('../../prompts/registry.js');
  const { set } = await loadPromptSet(sets[0]);
  if (set.templates.length < 2) {
    const what = set.templates.length === 0 ? 'no templates, only per-class sentences (classPrompts)' : 'only one template';
    throw new ZeroshiftError('USAGE', `prompt set '${sets[0]}' has ${what}; nothing to compare one template at a time`, {
      hint: set.classPrompts ? `compare it with another set instead: --prompts ${sets[0]} --prompts imagenet` : undefined,
    });
  }
  // The whole set rides along, so "ensemble vs best single template" is tested in the same run.
  const whole: PromptRef = { set: sets[0], name: `${sets[0]} (all ${set.templates.length} templates)` };
  return [whole, ...set.templates.map((t) => ({ set: sets[0], templates: [t], name: `${sets[0]}: ${t}` })), ...cli];
}

async function compare(flags: CompareFlags, ctx: CliContext): Promise<void> {
  const { decodeWorkers } = resolveParallelism(flags);
  // Loaded on use, not at start-up (ONNX Runtime, sharp, tokenizers): see docs/performance.md.
  const [{ specTarget }, { runPlan }, { PlanResources }, { rankingTable, rankPromptSets }, { parseShift }] = await Promise.all([
    import('../../eval/specTargets.js'), import('../../eval/runPlan.js'), import('../../eval/resources.js'), import('../../eval/comparePrompts.js'), import('../../shifts/registry.js'),
  ]);
  const resources = new PlanResources();
  const target = await specTarget(flags.dataset, { dataDir: flags.dataDir, n: flags.n, where: '--dataset', onWarning: (m) => ctx.log.warn(m), open: (spec) => resources.dataset(spec) });
  const promptSets = await promptRefsFor(flags);
  const shifts = flags.shift?.length ? flags.shift.map(parseShift) : [null];
  const units: EvalUnit[] = (flags.model?.length ? flags.model : ['tiny-clip-shapes']).flatMap((modelRef) =>
    shifts.map((shift) => ({ modelRef, target, shift, promptSets, ensembling: flags.ensembling })));
  const reporter = new ProgressReporter(process.stderr, 5000, flags.progress && !flags.json);
  const outcome = await withInterrupts(ctx, (signal) =>
    runPlan({ units, resources }, {
      outDir: flags.out, cacheDir: flags.cache ? flags.cacheDir ?? defaultCacheDir() : null, batchSize: flags.batchSize,
      decodeConcurrency: 8, decodeWorkers, exifRotate: flags.exifRotate ?? false, skipExisting: flags.skipExisting ?? false,
      argv: ctx.argv, log: ctx.log, signal, keepPredictions: true,
      model: { ...runtimeOptionsFrom(flags), textModel: flags.textModel, visionModel: flags.visionModel },
      progress: reporter.planProgress(),
    }),
  { onSignal: () => reporter.halt() },
  ).finally(() => reporter.stop());
  const groups = rankingsByUnit(outcome.results, outcome.predictions, rankPromptSets);
  if (flags.json) ctx.out(`${JSON.stringify(groups, null, 2)}\n`);
  else ctx.out(`${groups.map((g) => `${g.model} on ${g.dataset}${g.shift ? ` (${g.shift})` : ''}:\n${rankingTable(g.ranking)}`).join('\n\n')}\n`);
  const t = reporter.summary();
  ctx.log.info(`compared ${promptSets.length} prompt sets in ${groups.length} ranking(s) in ${duration(t.wallSeconds)} (${t.imagesComputed} image(s) embedded, ${t.imagesCached} from the cache); ${outcome.results.length} result(s) in ${flags.out}`);
}

/** One ranking per (model, dataset, shift), in run order. */
function rankingsByUnit(results: Result[], predictions: Prediction[][], rankPromptSets: (runs: { result: Result; predictions: Prediction[] }[]) => PromptRanking[]): { model: string; dataset: string; shift: string | null; ranking: PromptRanking[] }[] {
  const groups = new Map<string, { model: string; dataset: string; shift: string | null; runs: { result: Result; predictions: Prediction[] }[] }>();
  results.forEach((result, i) => {
    const shift = result.shift ? `${result.shift.corruption}:${result.shift.severity}` : null;
    const key = `${result.model.name}|${result.dataset.fingerprint}|${shift}`;
    const g = groups.get(key) ?? { model: result.model.name, dataset: result.dataset.name, shift, runs: [] };
    g.runs.push({ result, predictions: predictions[i] });
    groups.set(key, g);
  });
  return [...groups.values()].map(({ runs, ...g }) => ({ ...g, ranking: rankPromptSets(runs) }));
}
