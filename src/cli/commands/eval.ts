import type { Command } from 'commander';
import { ensureWritableDir } from '../../util/writableDir.js';
import { datasetOpenWarnings, skippedItemNotes } from '../../eval/datasetNotes.js';
import type { CommandRegistrar } from './index.js';
import type { CliContext } from '../context.js';
import { InvalidArgumentError } from 'commander';
import { collect, positiveInt, positiveNumber, choice } from '../options.js';
import { OOD_SCORES } from '../../metrics/oodScores.js';
import { languageIds } from '../../prompts/languages.js';
import { addDecodeWorkersOption, addRuntimeOptions, resolveParallelism, runtimeOptionsFrom } from '../modelOptions.js';
import type { PlanInput } from '../../eval/plan.js';
import { SHIFT_PARAMS_CHOICES, type ShiftParamsChoice } from '../../shifts/paramSets.js';
import { listTextShifts, parseTextShift } from '../../textShifts/registry.js';
import { ProgressReporter, duration, type RunTally } from '../progress.js';
import { summaryTable } from '../summaryTable.js';
import { defaultCacheDir } from '../../util/dataDir.js';
import { checkCacheLayout } from '../../cache/layout.js';
import { keptLine, withInterrupts } from '../interrupts.js';
import { TASK_CHOICES, checkTaskListFlags, runTaskListEval, suiteMeanLines, taskSummary, type TaskFlags } from './evalTasks.js';
import { isPartialResult } from '../../results/partial.js';

interface EvalFlags extends TaskFlags {
  model?: string[];
  suite?: string;
  dataset?: string[];
  prompts?: string[];
  template?: string[];
  language?: string;
  ensembling: 'clip' | 'testbed';
  shift?: string[];
  textShift?: string[];
  frostDir?: string;
  shiftParams?: ShiftParamsChoice;
  out: string;
  json?: boolean;
  cacheDir?: string;
  cache: boolean;
  skipExisting?: boolean;
  dataDir?: string;
  dtype: string;
  device: string;
  threads: string;
  decodeWorkers: string;
  batchSize: number;
  exifRotate?: boolean;
  n?: number;
  shard?: string;
  textModel?: string;
  visionModel?: string;
  progress: boolean;
  oodDataset?: string[];
  oodScore?: string;
  oodTemperature?: number;
}

const EXAMPLES = `
Examples:
  $ zeroshift eval --suite shapes-zoo --n 50            # a shipped suite, 50 images per generated dataset
  $ zeroshift eval --dataset shapes:standard?n=100 --shift gaussian_noise:3 --shift fog:5 --json
  $ zeroshift eval --dataset shapes:standard?n=100 --text-shift char_swap:5 --shift fog:3   # text × image shifts
  $ zeroshift eval --dataset shapes-sketch --n 64 -m tiny-clip-shapes -m tiny-clip-shapes-robust
  $ zeroshift eval --dataset shapes:dark?n=64 --prompts shapes-shape --prompts shapes-photo --skip-existing
  $ zeroshift eval --task linear_probe --dataset shapes:dark?n=80 --fewshot-k 4 --group-by color   # trains on seed=1
  $ zeroshift eval --dataset shapes:dark?n=64 --group-by color --group-by size --out results/groups   # worst-group accuracy

With your model or data:
  zeroshift eval                                     # the default suite (shapes-robustness), about a minute
  zeroshift eval --suite cifar10-robustness --model ./my-clip --data-dir ~/data
  zeroshift eval --dataset shapes:standard?n=100 --shift frost:3 --frost-dir ./frost   # ImageNet-C's photos (or: zeroshift prepare imagenet-c-frost)
  zeroshift eval --dataset wds:/data/wds_cifar10 --prompts cifar10 --prompts cb:cifar10
  zeroshift eval --dataset imagenet-r --language cn --model ./chinese-clip   # Chinese class names and templates
  zeroshift eval --dataset imagenet --prompts imagenet-cupl                  # CuPL's LLM-written sentences per class
  zeroshift eval --dataset babel-imagenet:/data/imagenet/val?lang=de --model ./xlm-clip   # Babel-ImageNet: German names, NLLB templates, its 738 classes
  zeroshift eval --suite my-suite.json --shard 2/8   # one of 8 shards (see docs/scale-out.md)
  zeroshift eval --suite datacomp-38 --data-dir /data/datacomp --limit 100   # DataComp's 38 tasks, smoke run
  zeroshift eval --task zeroshot_retrieval --dataset coco:/data/coco/annotations/captions_val2014.json --limit 500
  zeroshift eval --task linear_probe --dataset mnist:/usr/share/datasets/fashion-mnist --fewshot-k 16
  zeroshift eval --task multilabel --dataset voc:/data/voc2007        # VOC2007 mAP (CLIP_benchmark voc2007_multilabel)
  zeroshift eval --task zeroshot_ood --dataset cifar10 --ood-dataset cifar100 --ood-score mcm   # AUROC, FPR@95 of unseen classes

Results: one JSON per (model, dataset, shift, text shift, prompt set) in --out, named
model__dataset__shift[__text-NAME-S]__prompts__<id> by what determines the numbers, per-item predictions
beside it, and index.csv (CLIP_benchmark columns). Image embeddings are cached (--cache-dir;
default $ZEROSHIFT_CACHE_DIR, $XDG_CACHE_HOME/zeroshift or ~/.cache/zeroshift), so a second
run with other prompts runs no image inference; an interrupted run resumes where it stopped.`;

/** `zeroshift eval`: run a suite or datasets on one or more models. */
export const registerEval: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const command = program
    .command('eval')
    .description('evaluate models zero-shot on a suite or datasets (default: the shapes-robustness suite)')
    .option('-m, --model <ref>', 'model directory, spec file, built-in name or hf:ORG/NAME[@REV] (repeatable; overrides the suite)', collect)
    .option('-s, --suite <file|name>', 'suite file or shipped suite name (benchmarks/)')
    .option('-d, --dataset <spec>', 'dataset spec, e.g. wds:/data/cifar10 or shapes:dark (repeatable)', collect)
    .option('-p, --prompts <set>', 'prompt set: shipped id, cb:<dataset>, or JSON file (repeatable)', collect)
    .option('-t, --template <text>', "a literal template with {} (repeatable; forms one prompt set 'cli')", collect)
    .option('--language <lang>', `class names and templates in another language for ImageNet-family datasets: ${languageIds().join(' | ')} (CLIP_benchmark's translations; Babel-ImageNet's 90 languages are the dataset babel-imagenet:DIR?lang=CODE; see docs/prompts.md)`, languageChoice)
    .option('--ensembling <rule>', 'clip (normalise, average, normalise) or testbed (average raw)', choice('--ensembling', ['clip', 'testbed'] as const), 'clip')
    .option('--shift <name:severity>', 'synthetic corruption, e.g. gaussian_noise:3 (repeatable)', collect)
    .option('--shift-params <set>', 'corruption parameters: imagenet-c, tiny-imagenet-c or cifar-10-c (each published set as published, in pixels) or scaled (ImageNet-C\'s lengths × side/224); default auto: the published set made at the image\'s size (224, 64, 32 px squares), else scaled', choice('--shift-params', SHIFT_PARAMS_CHOICES), 'auto')
    .option('--text-shift <name:severity>', `perturb the texts the model reads (captions; class names inside the prompts, not the templates), e.g. typo:3; runs beside the unshifted texts, under every --shift (repeatable): ${listTextShifts().map((s) => s.id).join(', ')}; severity 1-5 (see docs/text-shifts.md)`, collect)
    .option('--frost-dir <dir>', "ImageNet-C's frost photographs for the frost corruption (default: `zeroshift prepare imagenet-c-frost`'s copy in the data dir)")
    .option('-o, --out <dir>', 'results directory', 'results')
    .option('--json', 'print the results as JSON on stdout')
    .option('--cache-dir <dir>', 'embedding cache directory (default: $ZEROSHIFT_CACHE_DIR or ~/.cache/zeroshift)')
    .option('--no-cache', 'do not read or write the embedding cache')
    .option('--skip-existing', 'skip units whose results already exist in --out')
    .option('--data-dir <dir>', 'where `zeroshift prepare` put the datasets (default: $ZEROSHIFT_DATA_DIR)')
    .option('--batch-size <n>', 'images per inference batch', positiveInt('--batch-size'), 64)
    .option('--exif-rotate', 'apply EXIF orientation (the PIL-based references do not)')
    .option('--n <count>', 'images per generated dataset (shapes), overriding the suite; a --dataset spec with another ?n= is refused', positiveInt('--n'))
    .option('--shard <i/n>', 'run shard i of n (1-based); also read from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID')
    .option('--text-model <path>', 'text tower override (dir or .onnx)')
    .option('--vision-model <path>', 'vision tower override (dir or .onnx)')
    .option('--no-progress', 'no progress output')
    .option('--task <task>', `${TASK_CHOICES.join(' | ')} (voc2007_multilabel = multilabel; default: each --dataset runs the task of its kind: captioned → zeroshot_retrieval, multi-label → multilabel, sugarcrepe:/winoground: → image_caption_selection, labelled → zeroshot_classification); see docs/tasks.md`, choice('--task', TASK_CHOICES))
    .option('--train-dataset <spec>', 'linear_probe: the train split (default: the test spec with split=train, or seed+1 for shapes)')
    .option('--fewshot-k <k>', 'linear_probe: k training images per class', positiveInt('--fewshot-k'))
    .option('--group-by <field>', 'per-group metrics and worst group over a per-item metadata field (WebDataset .json, CSV column, img.json beside a folder image; repeatable)', collect)
    .option('--ood-dataset <spec>', 'zeroshot_ood: images of classes the --dataset does not have (repeatable; one result per ID/OOD pair; implies --task zeroshot_ood)', collect)
    .option('--ood-score <score>', `zeroshot_ood: ${OOD_SCORES.ids().join(' | ')} (default mcm; see docs/tasks.md)`, choice('--ood-score', OOD_SCORES.ids()))
    .option('--ood-temperature <t>', 'zeroshot_ood: T of mcm and energy (default 1, as in MCM)', positiveNumber('--ood-temperature'))
    .option('--limit <n>', 'only the first N items of each dataset in a fixed seeded order (a smoke run: results are flagged partial in the table, index.csv and the report)', positiveInt('--limit'))
    .option('--seed <n>', 'seed of --limit and of the probe\'s validation split and few-shot draw', (v) => Number.parseInt(v, 10), 0);
  addDecodeWorkersOption(addRuntimeOptions(command))
    .addHelpText('after', EXAMPLES)
    .action(async (flags: EvalFlags) => runEval(flags, ctx));
};

async function runEval(flags: EvalFlags, ctx: CliContext): Promise<void> {
  // Checked first: a bad --threads or --decode-workers must not wait for the plan.
  const { decodeWorkers } = resolveParallelism(flags);
  // So is a bad --text-shift: the default suite would otherwise print its preflight warnings first.
  for (const t of flags.textShift ?? []) parseTextShift(t);
  if (flags.suite && !flags.dataset?.length) {
    const file = await taskListFile(flags.suite);
    if (file) await checkTaskListFlags(flags.suite, flags);
    if (file) return runTaskListEval(file, flags, { cacheDir: flags.cache ? flags.cacheDir ?? defaultCacheDir() : null, decodeWorkers, model: { ...runtimeOptionsFrom(flags), textModel: flags.textModel, visionModel: flags.visionModel } }, ctx);
  }
  const input: PlanInput = {
    task: flags.task === 'voc2007_multilabel' ? 'multilabel' : flags.task, trainDataset: flags.trainDataset, fewshotK: flags.fewshotK, seed: flags.seed,
    ood: { datasets: flags.oodDataset ?? [], score: flags.oodScore, temperature: flags.oodTemperature },
    models: flags.model, suite: flags.suite, datasets: flags.dataset, prompts: flags.prompts, templates: flags.template, language: flags.language,
    ensembling: flags.ensembling, shifts: flags.shift, textShifts: flags.textShift, shiftParams: flags.shiftParams, frostDir: flags.frostDir, dataDir: flags.dataDir, n: flags.n, shard: flags.shard, groupBy: flags.groupBy, limit: flags.limit ? { n: flags.limit, seed: flags.seed } : undefined, env: process.env,
    onWarning: (m) => ctx.log.warn(m),
  };
  // Unusable output or cache directories fail here, before any model loads or image is embedded.
  // The run uses absolute paths, so deleting the current directory under it changes nothing.
  const outDir = await ensureWritableDir(flags.out, '--out');
  const cacheDir = !flags.cache ? null : flags.cacheDir !== undefined ? await ensureWritableDir(flags.cacheDir, '--cache-dir') : defaultCacheDir();
  if (cacheDir) await checkCacheLayout(cacheDir);
  // The evaluation modules (ONNX Runtime, sharp, tokenizers) load here, not at start-up: `--help` and other commands stay fast.
  const [{ buildPlan }, { runPlan }, { writeShardManifest }, { writeSuiteMeans, shardSuiteMeans }] = await Promise.all([import('../../eval/plan.js'), import('../../eval/runPlan.js'), import('../../eval/shardManifest.js'), import('../../eval/suiteMeans.js')]);
  const plan = await buildPlan(input);
  const datasetWarnings = await datasetOpenWarnings(plan.units.map((u) => u.target.spec), (spec) => plan.resources.dataset(spec));
  const reporter = new ProgressReporter(process.stderr, 5000, flags.progress && !flags.json);
  const progress = reporter.planProgress();
  // Said once the plan has passed its checks, so a configuration error is the only line.
  const banner = (units: number, images: number | undefined): void => {
    ctx.log.info(`zeroshift eval: ${units} unit(s) (${plan.description}${images !== undefined ? `, ${images} images` : ''}) → ${flags.out}`);
    for (const w of datasetWarnings) ctx.log.warn(w);
    progress.planStarted?.(units, images);
  };
  const outcome = await withInterrupts(ctx, (signal) =>
    runPlan(plan, {
      outDir, cacheDir,
      batchSize: flags.batchSize, decodeConcurrency: 8, decodeWorkers, exifRotate: flags.exifRotate ?? false, shiftAssets: plan.shiftAssets,
      skipExisting: flags.skipExisting ?? false, argv: ctx.argv, log: ctx.log, signal,
      suite: plan.suite ? { name: plan.suite.name, file: plan.suite.file, ...(plan.suite.ceBaseline ? { ceBaseline: plan.suite.ceBaseline } : {}) } : null,
      model: { ...runtimeOptionsFrom(flags), textModel: flags.textModel, visionModel: flags.visionModel },
      progress: { ...progress, planStarted: banner },
    }),
  { onSignal: () => reporter.halt(), kept: () => keptLine(reporter.summary().unitsComputed, reporter.embeddedSoFar(), flags.out, cacheDir, reporter.textsSoFar()) },
  ).finally(() => reporter.stop());
  if (plan.shard) {
    const means = shardSuiteMeans(plan, outcome.results, input.limit ?? null);
    await writeShardManifest(outDir, { selection: plan.shard, suite: plan.suite, files: outcome.files, results: [...outcome.results, ...outcome.taskResults], means });
    ctx.log.info(`shard ${plan.shard.spec.index + 1}/${plan.shard.spec.count}: ${plan.units.length} of ${plan.shard.planUnits.length} unit(s); combine the shards with 'zeroshift merge'`);
  }
  if (flags.json) ctx.out(`${JSON.stringify([...outcome.results, ...outcome.taskResults], null, 2)}\n`);
  else {
    if (outcome.results.length > 0) ctx.out(`${summaryTable(outcome.results)}\n`);
    if (outcome.taskResults.length > 0) ctx.out(`${await taskSummary(outcome.taskResults)}\n`);
  }
  const skippedItems = [...outcome.results, ...outcome.taskResults].reduce((s, r) => s + r.skipped.length, 0);
  for (const line of endSummary(reporter.summary(), outcome.results.length + outcome.taskResults.length, outcome.skippedUnits, skippedItems, flags.out, Boolean(plan.shard))) ctx.log.info(line);
  if (outcome.results.some(isPartialResult) || outcome.taskResults.some((r) => r.partial)) ctx.log.info(`results are partial: --limit ${flags.limit} scored a seeded sample of each dataset, flagged partial in the table, index.csv and the report`);
  const means = await writeSuiteMeans(plan, outcome, outDir, input.limit ?? null);
  if (means) for (const line of suiteMeanLines(means.averages, means.file)) ctx.log.info(line);
  for (const line of skippedItemNotes(outcome.results)) ctx.log.warn(line);
}

/** The file of --suite when it is a task list (datacomp-38), else undefined (a suite, or not found: the plan reports it). */
async function taskListFile(ref: string): Promise<string | undefined> {
  // Loaded here, not at start-up: suites pull in zod and the shifts (sharp), which --help does not need.
  const [{ resolveSuitePath }, { isTaskListFile }] = await Promise.all([import('../../eval/suite.js'), import('../../eval/datacomp.js')]);
  try {
    const file = resolveSuitePath(ref);
    return isTaskListFile(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The end of a run: wall time, units computed and reused, images computed and read from the
 * cache, where the results are (the path as given) and the command to run next.
 */
export function endSummary(t: RunTally, results: number, reusedUnits: number, skippedItems: number, out: string, shard: boolean): string[] {
  const units = `${t.unitsComputed} unit(s) computed${reusedUnits ? `, ${reusedUnits} already done (--skip-existing)` : ''}`;
  const images = `${t.imagesComputed} image(s) embedded, ${t.imagesCached} from the cache`;
  const lines = [
    `done in ${duration(t.wallSeconds)}: ${units}; ${images}; ${results} result(s) in ${out}` +
      (skippedItems ? `; ${skippedItems} item(s) skipped (listed in each result's "skipped")` : ''),
  ];
  if (!shard && results > 0) lines.push(`next: zeroshift report ${/\s/.test(out) ? JSON.stringify(out) : out}`);
  return lines;
}

/** `--language`: CLIP_benchmark's full-1000 translations; any other code is pointed at Babel-ImageNet, a dataset of its own (a class subset). */
function languageChoice(v: string): string {
  try {
    return choice('--language', languageIds())(v);
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    throw new InvalidArgumentError(`${e.message} (Babel-ImageNet's 90 languages, de, fr, zh, ja, ..., each a subset of ImageNet's classes: --dataset babel-imagenet:DIR?lang=CODE; docs/prompts.md)`);
  }
}
