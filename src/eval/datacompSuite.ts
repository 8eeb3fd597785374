import { dirname, isAbsolute, resolve } from 'node:path';
import { ZeroshiftError, isZeroshiftError } from '../errors.js';
import { openDataset } from '../datasets/registry.js';
import { parseDatasetSpec, formatDatasetSpec } from '../datasets/spec.js';
import { macroF1 } from '../metrics/groups.js';
import type { Prediction, Result } from '../results/schema.js';
import type { TaskResult } from '../results/envelope.js';
import { writeSuiteAverages, type SuiteAveragesFile } from '../results/suiteAverages.js';
import { buildPlan } from './plan.js';
import { runPlan, type PlanOptions } from './runPlan.js';
import type { GroupRequest } from '../tasks/unit.js';
import { resolveDataDir } from '../util/dataDir.js';
import { shellCommand } from '../util/shellQuote.js';
import { shippedManifest } from '../prepare/manifest.js';
import { parseShift } from '../shifts/registry.js';
import type { ShiftParamsChoice } from '../shifts/paramSets.js';
import { loadDatacompTaskList, partialAverages, type DatacompTaskList } from './datacomp.js';

type ListedTask = DatacompTaskList['tasks'][number];

/** How one listed task runs: its dataset spec, its kind and (for the fairness/WILDS tasks) its group rule. */
export interface PlannedTask {
  task: ListedTask;
  kind: 'classification' | 'retrieval' | 'unsupported';
  spec: string | null;
  /** What to do to get the data, for the missing-data message. */
  prepare: string;
  groupBy?: GroupRequest;
}

/** CLIP_benchmark retrieval mirrors `zeroshift prepare` installs (DataComp reads the same Karpathy test splits from nlphuji). */
const RETRIEVAL_MIRRORS: Record<string, string> = {
  'retrieval/flickr_1k_test_image_text_retrieval': 'wds/flickr30k',
  'retrieval/mscoco_2014_5k_test_image_text_retrieval': 'wds/mscoco_captions',
};

/** The `zeroshift prepare` entry (data/datasets-manifest.json) that installs DataComp's directory `dir`, if any. */
function prepareEntryFor(dir: string): string | undefined {
  return shippedManifest().datasets.find((d) => d.id.startsWith('datacomp/') && d.layoutDir === dir)?.id;
}

/**
 * Where each task's data is: the task's own `spec` (paths relative to the list file), else
 * DataComp's download layout under the data directory (download_evalsets.py writes
 * `<data>/wds_<task with / → ->_test`, `fairness/` dropped), and for retrieval the CLIP_benchmark
 * mirrors `zeroshift prepare` installs. WinoGAViL (Jaccard over candidate sets) is not a task
 * zeroshift runs.
 */
export function planDatacompTasks(list: DatacompTaskList, listFile: string, dataDirFlag: string | undefined): PlannedTask[] {
  const dataDir = resolveDataDir(dataDirFlag).replace(/\/+$/, '');
  return list.tasks.map((task): PlannedTask => {
    const protocol = list.groupProtocols[task.id];
    const groupBy = protocol ? { field: protocol.groupBy, by: protocol.metric, ...(protocol.exclude ? { exclude: protocol.exclude } : {}) } : undefined;
    const fields = protocol?.metadataFields ? `&metadata-fields=${protocol.metadataFields.join(',')}` : '';
    const kind = task.id === 'misc/winogavil' ? 'unsupported' : task.id.startsWith('retrieval/') || task.mainMetric === 'mean_recall@1' ? 'retrieval' : 'classification';
    if (task.spec) return { task, kind, spec: relativeSpec(task.spec, listFile), prepare: `fix the spec '${task.spec}' in ${listFile}`, groupBy };
    if (kind === 'unsupported') return { task, kind, spec: null, prepare: 'not run by zeroshift (WinoGAViL scores candidate sets by Jaccard)' };
    const mirror = RETRIEVAL_MIRRORS[task.id];
    // The user's --data-dir goes into the command: prepared elsewhere, the data lands where eval does not look.
    const dirFlag = dataDirFlag === undefined ? [] : ['--data-dir', dataDirFlag];
    if (mirror) return { task, kind, spec: `wds:${dataDir}/${mirror}?split=test`, prepare: shellCommand(['zeroshift', 'prepare', mirror, ...dirFlag, '--trust-unverified']) };
    const dir = `wds_${task.id.replace(/^fairness\//, '').replace(/\//g, '-')}_test`;
    const entry = prepareEntryFor(dir);
    const how = entry ? shellCommand(['zeroshift', 'prepare', entry, ...dirFlag, '--trust-unverified']) : `download ${dir} (DataComp's download_evalsets.py, or huggingface.co/datasets/djghosh/${dir}) into ${dataDir}`;
    return { task, kind, spec: `wds:${dataDir}/${dir}?split=test${fields}`, prepare: how, groupBy };
  });
}

function relativeSpec(spec: string, listFile: string): string {
  const parsed = parseDatasetSpec(spec);
  if (parsed.adapter === 'shapes' || parsed.adapter === 'shapes-captions' || parsed.arg === '' || isAbsolute(parsed.arg)) return spec;
  return formatDatasetSpec({ ...parsed, arg: resolve(dirname(listFile), parsed.arg) });
}

/**
 * DataComp's main metric of a task from its result (tasklist.yml's `main_metric`): top-1,
 * balanced accuracy, mean R@1, the worst group (FMoW/GeoDE top-1 by region, Dollar Street
 * top-5 by income group), or iWildCam's macro-F1 over the labels present (from predictions).
 */
export function mainMetricOf(task: ListedTask, r: { result?: Result; predictions?: Prediction[]; task?: TaskResult }): number | undefined {
  const m = task.mainMetric;
  if (m === 'mean_recall@1') return r.task?.retrieval?.meanRecallAt1;
  const res = r.result;
  if (!res) return undefined;
  if (m === 'acc1') return res.metrics.acc1;
  if (m === 'mean_per_class_recall') return res.metrics.meanPerClassRecall;
  if (m === 'F1-macro_all' && r.predictions) return macroF1(r.predictions.map((p) => p.label), r.predictions.map((p) => p.top[0]), 'true');
  if (m === 'acc_worst_region' || m === 'acc_wg' || m === 'acc_top5_wg') {
    const s = Object.values(res.groupSummary ?? {})[0];
    return s ? (s.worst.metric ?? s.worst.acc1) : undefined;
  }
  return undefined;
}

export interface DatacompRunOptions {
  listFile: string;
  models: string[];
  dataDir?: string;
  limit?: number;
  seed: number;
  /** `--shift NAME:SEVERITY`: every task also runs under each (images corrupted; captions not); the averages stay over clean results. */
  shifts?: string[];
  shiftParams?: ShiftParamsChoice;
  frostDir?: string;
  run: Omit<PlanOptions, 'keepPredictions' | 'shiftAssets'>;
}

/**
 * Runs every task of a DataComp-style task list on every model (classification through the
 * eval runner with each task's group rule, retrieval as a task unit of the same runner), clean
 * and under each `--shift`, then writes the suite's averages (of the clean results). Data that is not there stops the run before anything is computed,
 * listing every missing task with what to do to get it.
 */
export async function runDatacompSuite(o: DatacompRunOptions): Promise<{ averages: SuiteAveragesFile; file: string; skipped: string[]; shiftedResults: number }> {
  // A bad --shift stops the run before the data checks, as it does for --dataset.
  for (const shift of o.shifts ?? []) parseShift(shift);
  const list = loadDatacompTaskList(o.listFile);
  const planned = planDatacompTasks(list, o.listFile, o.dataDir);
  const missing: string[] = [];
  for (const p of planned) {
    if (!p.spec) continue;
    try {
      await openDataset(p.spec);
    } catch (e) {
      if (!isZeroshiftError(e)) throw e;
      missing.push(`  ${p.task.name} (${p.spec}): ${p.prepare}`);
    }
  }
  if (missing.length > 0) {
    throw new ZeroshiftError('DATASET', `${missing.length} of ${planned.filter((p) => p.spec).length} tasks of ${list.name} have no data:\n${missing.join('\n')}`, {
      hint: 'prepare them (or pass --data-dir where DataComp\'s download_evalsets.py put them); --limit N then gives a smoke run',
    });
  }
  // Keyed by the model's recorded name (a reference such as hf:ORG/NAME names it differently).
  const scores = new Map<string, Map<string, number>>();
  const record = (model: string, task: string, v: number | undefined): void => {
    if (v === undefined) return;
    const s = scores.get(model) ?? new Map<string, number>();
    scores.set(model, s);
    if (!s.has(task)) s.set(task, v);
  };
  const limit = o.limit ? { n: o.limit, seed: o.seed } : undefined;
  // Every task runs clean and under each --shift, through the same plan as --dataset.
  const shifting = { shifts: o.shifts, shiftParams: o.shiftParams, frostDir: o.frostDir, dataDir: o.dataDir };
  let shiftedResults = 0;
  for (const p of planned.filter((x) => x.kind === 'classification')) {
    const plan = await buildPlan({ models: o.models, datasets: [p.spec!], task: 'zeroshot_classification', seed: o.seed, ensembling: 'clip', groupRequests: p.groupBy ? [p.groupBy] : undefined, limit, ...shifting, env: {}, onWarning: (w) => o.run.log.warn(w) });
    const outcome = await runPlan(plan, { ...o.run, shiftAssets: plan.shiftAssets, keepPredictions: true });
    // One clean result per model (one prompt set: the dataset's own templates or the shipped choice); DataComp averages clean results.
    outcome.results.forEach((result, i) => {
      if (result.shift !== null) shiftedResults++;
      else record(result.model.name, p.task.name, mainMetricOf(p.task, { result, predictions: outcome.predictions[i] }));
    });
  }
  for (const p of planned.filter((x) => x.kind === 'retrieval')) {
    const plan = await buildPlan({ models: o.models, datasets: [p.spec!], task: 'zeroshot_retrieval', seed: o.seed, ensembling: 'clip', limit, ...shifting, env: {}, onWarning: (w) => o.run.log.warn(w) });
    const outcome = await runPlan(plan, { ...o.run, shiftAssets: plan.shiftAssets });
    for (const t of outcome.taskResults) {
      if (t.shift !== null) shiftedResults++;
      else record(t.model.name, p.task.name, mainMetricOf(p.task, { task: t }));
    }
  }
  const averages: SuiteAveragesFile = {
    kind: 'zeroshift-suite-averages', schemaVersion: 1, suite: list.name, createdAt: new Date().toISOString(), limit: limit ?? null,
    groups: Object.keys(list.averages),
    members: Object.fromEntries(Object.entries(list.averages).map(([g, m]) => [g, typeof m === 'string' ? list.tasks.map((t) => t.name) : [...m]])),
    models: [...scores].map(([model, s]) => ({ model, scores: Object.fromEntries(s), ...partialAverages(list, s) })),
  };
  const file = await writeSuiteAverages(o.run.outDir, averages);
  return { averages, file, skipped: planned.filter((p) => !p.spec).map((p) => `${p.task.name}: ${p.prepare}`), shiftedResults };
}

