import type { CliContext } from '../context.js';
import { ZeroshiftError } from '../../errors.js';
import { TASKS, type TaskId } from '../../results/taskIds.js';
import type { TaskResult } from '../../results/taskSchema.js';
import type { LoadModelOptions } from '../../model/types.js';
import { textTable } from '../../util/textTable.js';
import { withInterrupts } from '../interrupts.js';

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
 * The task of an eval run: --task when given; otherwise zero-shot retrieval when every
 * --dataset is captioned and unlabeled, else zero-shot classification.
 */
export async function chooseTask(flags: TaskFlags, datasets: string[] | undefined, suite: string | undefined): Promise<Exclude<TaskChoice, 'voc2007_multilabel'>> {
  if (flags.task === 'voc2007_multilabel') return 'multilabel';
  if (flags.task && flags.task !== 'zeroshot_classification') return flags.task;
  if (suite || !datasets?.length) return 'zeroshot_classification';
  // Loaded here, not at start-up: `zeroshift --help` must not load the dataset readers (sharp).
  const { openDataset } = await import('../../datasets/registry.js');
  const opened = await Promise.all(datasets.map((spec) => openDataset(spec).catch(() => null)));
  const multilabel = opened.filter((d) => d?.multilabel).map((d) => d!.spec);
  // Scoring a multi-label set as single-label would read its -1 labels as a class.
  if (flags.task === 'zeroshot_classification' && multilabel.length > 0) throw new ZeroshiftError('USAGE', `${multilabel.join(', ')}: multi-label dataset(s); run them with --task multilabel`);
  if (flags.task) return flags.task;
  if (opened.every((d) => d?.captioned)) return 'zeroshot_retrieval';
  if (opened.every((d) => d?.multilabel)) return 'multilabel';
  return 'zeroshot_classification';
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : (100 * v).toFixed(1);
}

/** The summary table of task results. */
export function taskSummary(results: readonly TaskResult[]): string {
  if (results[0]?.task === 'multilabel') {
    return textTable(['model', 'dataset', 'images', 'mAP %', 'worst class', 'partial'], results.map((r) => {
      const m = r.multilabel!;
      const worst = [...m.perClass].sort((a, b) => a.ap - b.ap)[0];
      return [r.model.name, r.dataset.name, String(m.n), pct(m.meanAveragePrecision), worst ? `${worst.name} ${pct(worst.ap)}` : '-', r.partial ? 'yes' : ''];
    }));
  }
  if (results[0]?.task === 'zeroshot_retrieval') {
    return textTable(['model', 'dataset', 'images', 'texts', 'img R@1', 'img R@5', 'txt R@1', 'txt R@5', 'mean R@1', 'partial'], results.map((r) => {
      const rec = r.retrieval!.recall;
      return [r.model.name, r.dataset.name, String(r.retrieval!.nImages), String(r.retrieval!.nTexts), pct(rec['image_retrieval_recall@1']?.value), pct(rec['image_retrieval_recall@5']?.value), pct(rec['text_retrieval_recall@1']?.value), pct(rec['text_retrieval_recall@5']?.value), pct(r.retrieval!.meanRecallAt1), r.partial ? 'yes' : ''];
    }));
  }
  return textTable(['model', 'dataset', 'train', 'k', 'C', 'n', 'top-1 % [95% CI]', 'macro-F1', 'worst group'], results.map((r) => {
    const m = r.metrics!;
    const worst = Object.entries(r.groupSummary ?? {}).map(([f, s]) => `${f}=${s.worst.value} ${pct(s.worst.acc1)}`).join('; ');
    return [r.model.name, r.dataset.name, r.trainDataset?.name ?? '', String(r.probe?.fewshotK ?? 'all'), r.probe!.c.toPrecision(3), String(m.n), `${pct(m.acc1)} [${pct(m.acc1Ci[0])}, ${pct(m.acc1Ci[1])}]`, pct(m.macroF1), worst || '-'];
  }));
}

/** Runs a retrieval or linear-probe eval from the eval command's flags. */
export async function runTaskEval(task: TaskId, flags: TaskFlags & { model?: string[]; dataset?: string[]; dataDir?: string; out: string; json?: boolean; batchSize: number; exifRotate?: boolean }, common: { cacheDir: string | null; model: LoadModelOptions; decodeWorkers: number }, ctx: CliContext): Promise<void> {
  if (!flags.dataset?.length) throw new ZeroshiftError('USAGE', `--task ${task} needs --dataset SPEC (suites run zero-shot classification)`, { hint: task === 'linear_probe' ? 'e.g. zeroshift eval --task linear_probe --dataset mnist:/usr/share/datasets/fashion-mnist' : 'e.g. zeroshift eval --task zeroshot_retrieval --dataset coco:/data/coco/annotations/captions_val2014.json' });
  const { runTask } = await import('../../tasks/runTask.js');
  const outcome = await withInterrupts(ctx, (signal) => runTask({
    task, models: flags.model?.length ? flags.model : ['tiny-clip-shapes'], datasets: flags.dataset!, dataDir: flags.dataDir, trainDataset: flags.trainDataset, fewshotK: flags.fewshotK,
    seed: flags.seed, limit: flags.limit, groupBy: flags.groupBy ?? [], outDir: flags.out, cacheDir: common.cacheDir, batchSize: flags.batchSize,
    decodeConcurrency: 8, decodeWorkers: common.decodeWorkers, exifRotate: flags.exifRotate ?? false, argv: ctx.argv, log: ctx.log, model: common.model, signal,
  }));
  if (flags.json) ctx.out(`${JSON.stringify(outcome.results, null, 2)}\n`);
  else if (outcome.results.length > 0) ctx.out(`${taskSummary(outcome.results)}\n`);
  const partial = outcome.results.some((r) => r.partial);
  ctx.log.info(`done: ${outcome.results.length} ${task} result(s) written to ${flags.out}${partial ? ` (partial: --limit ${flags.limit})` : ''}`);
}

/** `eval --suite` on a task list (benchmarks/datacomp-38.json): every task on every model, then the suite averages. */
export async function runTaskListEval(listFile: string, flags: TaskFlags & { model?: string[]; dataDir?: string; out: string; json?: boolean; batchSize: number; exifRotate?: boolean; progress?: boolean }, common: { cacheDir: string | null; model: LoadModelOptions; decodeWorkers: number }, ctx: CliContext): Promise<void> {
  const { runDatacompSuite } = await import('../../tasks/datacompSuite.js');
  const models = flags.model?.length ? flags.model : ['tiny-clip-shapes'];
  const settings = { outDir: flags.out, cacheDir: common.cacheDir, batchSize: flags.batchSize, decodeConcurrency: 8, decodeWorkers: common.decodeWorkers, exifRotate: flags.exifRotate ?? false, argv: ctx.argv, log: ctx.log, model: common.model };
  const out = await withInterrupts(ctx, (signal) => runDatacompSuite({
    listFile, models, dataDir: flags.dataDir, limit: flags.limit, seed: flags.seed,
    run: { ...settings, skipExisting: false, signal },
    tasks: { ...settings, signal },
  }));
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
