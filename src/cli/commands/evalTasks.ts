import type { CliContext } from '../context.js';
import { TASKS } from '../../results/taskIds.js';
import { pct } from '../../tasks/format.js';
import type { TaskResult } from '../../results/envelope.js';
import type { LoadModelOptions } from '../../model/types.js';
import { textTable } from '../../util/textTable.js';
import { keptLine, withInterrupts } from '../interrupts.js';
import { ProgressReporter } from '../progress.js';
import type { SuiteAveragesFile } from '../../results/suiteAverages.js';
import { meanCoverage } from '../../results/meanCoverage.js';

/** Every --task value: zero-shot classification (the eval runner), the tasks of src/tasks, and CLIP_benchmark's name of multilabel. */
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

/** `eval --suite` on a task list (benchmarks/datacomp-38.json): every task on every model, then the suite averages. */
export async function runTaskListEval(listFile: string, flags: TaskFlags & { model?: string[]; dataDir?: string; out: string; json?: boolean; batchSize: number; exifRotate?: boolean; progress?: boolean }, common: { cacheDir: string | null; model: LoadModelOptions; decodeWorkers: number }, ctx: CliContext): Promise<void> {
  const { runDatacompSuite } = await import('../../eval/datacompSuite.js');
  const models = flags.model?.length ? flags.model : ['tiny-clip-shapes'];
  const settings = { outDir: flags.out, cacheDir: common.cacheDir, batchSize: flags.batchSize, decodeConcurrency: 8, decodeWorkers: common.decodeWorkers, exifRotate: flags.exifRotate ?? false, argv: ctx.argv, log: ctx.log, model: common.model };
  // Counts only (nothing drawn): each listed task is its own plan, so one overall bar would restart 38 times.
  const tally = new ProgressReporter(process.stderr, 10_000, false);
  const out = await withInterrupts(ctx, (signal) => runDatacompSuite({
    listFile, models, dataDir: flags.dataDir, limit: flags.limit, seed: flags.seed,
    run: { ...settings, skipExisting: false, signal, progress: tally.planProgress() },
  }), { kept: () => keptLine(tally.summary().unitsComputed, tally.embeddedSoFar(), flags.out, common.cacheDir) });
  for (const s of out.skipped) ctx.log.info(`not run: ${s}`);
  if (flags.json) ctx.out(`${JSON.stringify(out.averages, null, 2)}\n`);
  else {
    ctx.out(`${textTable(['model', ...out.averages.groups.map((g) => `${g} %`)], out.averages.models.map((m) => [m.model, ...out.averages.groups.map((g) => {
      const v = m.averages[g];
      const miss = m.missing[g]?.length ?? 0;
      return v === null || v === undefined ? '-' : `${pct(v)}${miss ? ` (${miss} missing)` : ''}`;
    })]))}\n`);
  }
  ctx.log.info(`suite averages written to ${out.file}${flags.limit ? ` (partial: --limit ${flags.limit})` : ''}; next: zeroshift report ${flags.out}`);
}
