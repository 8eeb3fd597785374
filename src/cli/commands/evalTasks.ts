import type { CliContext } from '../context.js';
import { ZeroshiftError } from '../../errors.js';
import { TASKS } from '../../results/taskIds.js';
import { pct } from '../../tasks/format.js';
import type { TaskResult } from '../../results/envelope.js';
import type { LoadModelOptions } from '../../model/types.js';
import { textTable } from '../../util/textTable.js';
import { keptLine, withInterrupts } from '../interrupts.js';
import { ProgressReporter } from '../progress.js';
import type { SuiteAveragesFile } from '../../results/suiteAverages.js';
import { meanCoverage } from '../../results/meanCoverage.js';
import type { ShiftParamsChoice } from '../../shifts/paramSets.js';

/** Every --task value: the tasks of src/tasks/registry.ts (zero-shot classification first), and CLIP_benchmark's name of multilabel. */
export const TASK_CHOICES = ['zeroshot_classification', ...TASKS, 'voc2007_multilabel'] as const;
export type TaskChoice = (typeof TASK_CHOICES)[number];

export interface TaskFlags {
  task?: TaskChoice;
  trainDataset?: string;
  fewshotK?: number;
  groupBy?: string[];
  limit?: number;
  seed: number;
}

/**
 * The summary tables of task results, one per task (each task module says its columns). The
 * task modules load here, after a run, not at start-up: they reach zod through their parts
 * (prompt schemas, scoring protocols), which --help and --version must not load.
 */
export async function taskSummary(results: readonly TaskResult[]): Promise<string> {
  const { taskModule } = await import('../../tasks/registry.js');
  const tables: string[] = [];
  for (const id of new Set(results.map((r) => r.task))) {
    const { columns, row } = taskModule(id).summary;
    tables.push(textTable(columns, results.filter((r) => r.task === id).map(row)));
  }
  return tables.join('\n\n');
}

/**
 * One line per model and suite mean, naming what it averages and how many of its datasets it
 * covers: `SugarCrepe mean (acc on clean results), tiny-clip-shapes: 61.2 % (mean of 7 of 7)`.
 */
export function suiteMeanLines(a: SuiteAveragesFile, file: string): string[] {
  const metrics = [...new Set(Object.values(a.metrics ?? {}))].join(', ') || 'main metric';
  const lines = a.models.flatMap((m) => a.groups.map((g) => {
    const v = m.averages[g];
    const missing = m.missing[g]?.length ? `; missing: ${m.missing[g].join(', ')}` : '';
    return `${g} (${metrics} on clean results), ${m.model}: ${v === null || v === undefined ? 'n/a' : `${pct(v)} %`} (${meanCoverage(a, m, g)}${missing})`;
  }));
  return [...lines, `suite means written to ${file}${a.limit ? ` (partial: --limit ${a.limit.n})` : ''}`];
}

/** The eval flags a task list (datacomp-38) cannot honour: each task brings its own dataset, prompts and rule. */
interface TaskListFlags {
  textShift?: string[];
  shard?: string;
  prompts?: string[];
  template?: string[];
  language?: string;
  n?: number;
  groupBy?: string[];
  task?: string;
  oodDataset?: string[];
}

/**
 * Refuses (USAGE, exit 2) what a task list would otherwise drop silently: a text shift, a shard
 * (from --shard or the environment: every shard would run every task, and merge has no averages
 * to rebuild), and the flags that choose prompts, sizes, groups or the task, which its tasks fix.
 */
export async function checkTaskListFlags(suite: string, flags: TaskListFlags): Promise<void> {
  if (flags.textShift?.length) throw new ZeroshiftError('USAGE', `--text-shift does not apply to the task-list suite ${suite}: its tasks run without text shifts`, { hint: 'run the datasets you want under a text shift with --dataset SPEC --text-shift NAME:SEVERITY' });
  const { resolveShard } = await import('../../eval/shards.js');
  if (resolveShard(flags.shard, process.env) !== null) {
    throw new ZeroshiftError('USAGE', `--shard does not apply to the task-list suite ${suite}: each of its tasks runs as its own plan, so a shard would run them all and merge could not rebuild its averages`, {
      hint: 'run it unsharded (--limit N makes a quick smoke run), or shard one task at a time with --dataset SPEC --shard I/N',
    });
  }
  const fixed = ([['--prompts', flags.prompts?.length], ['--template', flags.template?.length], ['--language', flags.language !== undefined], ['--n', flags.n !== undefined], ['--group-by', flags.groupBy?.length], ['--task', flags.task !== undefined], ['--ood-dataset', flags.oodDataset?.length]] as const).filter(([, given]) => Boolean(given)).map(([flag]) => flag);
  if (fixed.length > 0) {
    throw new ZeroshiftError('USAGE', `${fixed.join(', ')} ${fixed.length > 1 ? 'do' : 'does'} not apply to the task-list suite ${suite}: each task fixes its dataset, prompts, group rule and task (DataComp's protocol)`, {
      hint: 'drop them, or run the datasets you want with --dataset SPEC and those flags',
    });
  }
}

/** `eval --suite` on a task list (benchmarks/datacomp-38.json): every task on every model, then the suite averages. */
export async function runTaskListEval(listFile: string, flags: TaskFlags & { model?: string[]; dataDir?: string; out: string; json?: boolean; batchSize: number; exifRotate?: boolean; progress?: boolean; skipExisting?: boolean; shift?: string[]; shiftParams?: ShiftParamsChoice; frostDir?: string }, common: { cacheDir: string | null; model: LoadModelOptions; decodeWorkers: number }, ctx: CliContext): Promise<void> {
  const { runDatacompSuite } = await import('../../eval/datacompSuite.js');
  const models = flags.model?.length ? flags.model : ['tiny-clip-shapes'];
  const settings = { outDir: flags.out, cacheDir: common.cacheDir, batchSize: flags.batchSize, decodeConcurrency: 8, decodeWorkers: common.decodeWorkers, exifRotate: flags.exifRotate ?? false, argv: ctx.argv, log: ctx.log, model: common.model };
  // Counts only (nothing drawn): each listed task is its own plan, so one overall bar would restart 38 times.
  const tally = new ProgressReporter(process.stderr, 10_000, false);
  const out = await withInterrupts(ctx, (signal) => runDatacompSuite({
    listFile, models, dataDir: flags.dataDir, limit: flags.limit, seed: flags.seed, shifts: flags.shift, shiftParams: flags.shiftParams, frostDir: flags.frostDir,
    run: { ...settings, skipExisting: flags.skipExisting ?? false, signal, progress: tally.planProgress() },
  }), { kept: () => keptLine(tally.summary().unitsComputed, tally.embeddedSoFar(), flags.out, common.cacheDir, tally.textsSoFar()) });
  for (const s of out.skipped) ctx.log.info(`not run: ${s}`);
  if (flags.json) ctx.out(`${JSON.stringify(out.averages, null, 2)}\n`);
  else {
    ctx.out(`${textTable(['model', ...out.averages.groups.map((g) => `${g} %`)], out.averages.models.map((m) => [m.model, ...out.averages.groups.map((g) => {
      const v = m.averages[g];
      const miss = m.missing[g]?.length ?? 0;
      return v === null || v === undefined ? '-' : `${pct(v)}${miss ? ` (${miss} missing)` : ''}`;
    })]))}\n`);
  }
  if (out.shiftedResults > 0) ctx.log.info(`${out.shiftedResults} shifted result(s) (--shift) in ${flags.out}, beside the clean ones; the averages are over the clean results`);
  ctx.log.info(`suite averages written to ${out.file}${flags.limit ? ` (partial: --limit ${flags.limit})` : ''}; next: zeroshift report ${flags.out}`);
}
