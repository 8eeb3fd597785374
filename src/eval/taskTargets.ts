import { ZeroshiftError } from '../errors.js';
import type { Dataset } from '../datasets/types.js';
import type { TaskId } from '../results/taskIds.js';
import { datasetKind, type PromptChoice, type TaskName, type TaskUnitOptions } from '../tasks/task.js';
import { DEFAULT_OOD_SCORE, checkTemperature, oodScoreDef } from '../metrics/oodScores.js';
import { defaultTaskFor, taskModule } from '../tasks/registry.js';
import { probeTargets } from './probeTargets.js';
import { trainSplitSpec } from './trainSplit.js';
import type { EvalTarget } from '../tasks/unit.js';

/** A task chosen on the command line, or none (each dataset then runs its kind's task). */
export type TaskChoice = TaskName | undefined;

/** The task options of the command line. */
export interface TaskFlags {
  task?: TaskChoice;
  trainDataset?: string;
  fewshotK?: number;
  seed: number;
  groupBy: string[];
  ood?: OodFlags;
  /** The command line's prompt sets (--prompts, --template): zeroshot_ood builds its classifier from one. */
  prompts?: PromptChoice[];
  ensembling?: 'clip' | 'testbed';
}

/** `--ood-dataset` (resolved specs), `--ood-score`, `--ood-temperature` as given (absent = default). */
export interface OodFlags {
  datasets: string[];
  score?: string;
  temperature?: number;
}

/** A dataset target with the task that reads it (undefined = zero-shot classification). */
export interface TaskTarget {
  target: EvalTarget;
  task?: { id: TaskId; options: TaskUnitOptions };
}

const NEEDS_TEXT: Record<string, string> = { labelled: 'labelled (one class per image)', captioned: 'captioned (image–text pairs)', multilabel: 'multi-label (a set of classes per image)', selection: 'caption-selection (images with a true and false captions, SugarCrepe/Winoground)' };

/**
 * The task of each --dataset: --task when given (a dataset of another kind stops the run,
 * naming the dataset and the task it needs), else the task of the dataset's kind: captioned →
 * zero-shot retrieval, multi-label → multilabel, labelled → zero-shot classification. So a
 * captioned and a labelled dataset in one run each get their own task, never a label of -1.
 */
export async function taskTargets(targets: EvalTarget[], flags: TaskFlags, open: (spec: string) => Promise<Dataset>, dataDir: string | undefined): Promise<{ targets: TaskTarget[]; notes: string[] }> {
  const chosen: { target: EvalTarget; id: TaskName }[] = [];
  const oodGiven = Boolean(flags.ood && (flags.ood.datasets.length > 0 || flags.ood.score !== undefined || flags.ood.temperature !== undefined));
  // --ood-dataset alone means OOD detection: there is no other task it could belong to.
  const task = flags.task ?? (flags.ood?.datasets.length ? 'zeroshot_ood' : undefined);
  if (oodGiven && task === undefined) throw new ZeroshiftError('USAGE', '--ood-score and --ood-temperature need --ood-dataset SPEC: OOD detection scores images of classes the --dataset does not have');
  if (oodGiven && task !== 'zeroshot_ood') throw new ZeroshiftError('USAGE', `--ood-dataset, --ood-score and --ood-temperature apply to --task zeroshot_ood, not to --task ${task}`);
  for (const target of targets) {
    const kind = datasetKind(await open(target.spec));
    const own = defaultTaskFor(kind);
    const id = task ?? own;
    const needs = taskModule(id).needs;
    if (needs !== kind) {
      throw new ZeroshiftError('USAGE', `--task ${id} reads ${NEEDS_TEXT[needs]} datasets, but ${target.spec} is ${NEEDS_TEXT[kind]}: it needs --task ${own}`, { hint: `run it in its own eval with --task ${own}, or leave --task out and every dataset runs the task of its kind` });
    }
    chosen.push({ target, id });
  }
  const ids = new Set(chosen.map((c) => c.id));
  if (!ids.has('linear_probe') && (flags.trainDataset || flags.fewshotK !== undefined)) {
    throw new ZeroshiftError('USAGE', '--train-dataset and --fewshot-k apply to --task linear_probe');
  }
  for (const id of ids) {
    if (flags.groupBy.length > 0 && (id === 'multilabel' || id === 'zeroshot_ood' || id === 'image_caption_selection')) {
      throw new ZeroshiftError('USAGE', `--group-by applies to classification, retrieval and linear-probe results, not to ${id === 'multilabel' ? 'multi-label mAP' : id === 'zeroshot_ood' ? 'OOD detection' : 'image–caption selection'}`);
    }
  }
  if (ids.has('linear_probe')) return probeUnits(chosen.map((c) => c.target), flags, dataDir);
  if (ids.has('zeroshot_ood')) return { targets: oodUnits(chosen.map((c) => c.target), flags), notes: [] };
  return { targets: chosen.map(({ target, id }) => (id === 'zeroshot_classification' ? { target } : { target, task: { id, options: { seed: flags.seed, groupBy: flags.groupBy } } })), notes: [] };
}

/**
 * The probe's targets (a family's standard set brings its shifted variants, probeTargets.ts),
 * all scored by one probe trained on --train-dataset or the first target's train split.
 */
async function probeUnits(targets: EvalTarget[], flags: TaskFlags, dataDir: string | undefined): Promise<{ targets: TaskTarget[]; notes: string[] }> {
  const { targets: scored, notes } = await probeTargets(targets.map((t) => t.spec), dataDir);
  const trainSpec = flags.trainDataset ?? trainSplitSpec(scored[0].spec);
  const options: TaskUnitOptions = { trainSpec, fewshotK: flags.fewshotK, seed: flags.seed, groupBy: flags.groupBy };
  const bySpec = new Map(targets.map((t) => [t.spec, t]));
  const out = scored.map((p): TaskTarget => {
    const base = bySpec.get(p.spec) ?? targets[0];
    return { target: { ...base, spec: p.spec, family: p.family, variant: p.variant, isStandard: p.isStandard }, task: { id: 'linear_probe', options } };
  });
  if (scored.length > targets.length) notes.push(`scored on ${scored[0].family}'s ${scored.length - targets.length} shifted variant(s) too: ${scored.slice(targets.length).map((t) => t.variant).join(', ')}`);
  return { targets: out, notes: notes.map((n) => `linear probe: ${n}`) };
}

/**
 * One unit per (ID dataset, OOD dataset): each pair is its own result (and index.csv row); the
 * units of one ID dataset share its image stream, and each OOD set is embedded once per model
 * and shift.
 */
function oodUnits(targets: EvalTarget[], flags: TaskFlags): TaskTarget[] {
  const ood = flags.ood;
  if (!ood || ood.datasets.length === 0) {
    throw new ZeroshiftError('USAGE', '--task zeroshot_ood needs at least one --ood-dataset SPEC (images of classes the --dataset does not have)', { hint: 'e.g. --dataset shapes:standard --ood-dataset folder:/data/unseen-classes' });
  }
  const prompts = flags.prompts ?? [];
  if (prompts.length > 1) throw new ZeroshiftError('USAGE', `--task zeroshot_ood builds one classifier: give one prompt set (--prompts or --template), not ${prompts.length}`);
  const score = oodScoreDef(ood.score ?? DEFAULT_OOD_SCORE).id;
  const temperature = checkTemperature(ood.temperature ?? 1);
  const out: TaskTarget[] = [];
  for (const target of targets) {
    for (const spec of ood.datasets) {
      if (spec === target.spec) throw new ZeroshiftError('USAGE', `--ood-dataset ${spec} is also the in-distribution --dataset: OOD images must come from classes the ID set does not have`);
      const options: TaskUnitOptions = { seed: flags.seed, groupBy: [], ood: { dataset: spec, score, temperature, prompt: prompts[0] ?? null, ensembling: flags.ensembling ?? 'clip' } };
      out.push({ target, task: { id: 'zeroshot_ood', options } });
    }
  }
  return out;
}
