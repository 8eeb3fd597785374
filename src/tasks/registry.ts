import { ZeroshiftError, didYouMean } from '../errors.js';
import type { TaskId } from '../results/taskIds.js';
import { zeroshotClassificationTask } from './zeroshotClassification.js';
import { retrievalTask } from './retrieval.js';
import { multilabelTask } from './multilabel.js';
import { linearProbeTask } from './linearProbe.js';
import { captionSelectionTask } from './captionSelection.js';
import { zeroshotOodTask } from './zeroshotOod.js';
import { openEnvelopeLane } from './envelopeLane.js';
import type { DatasetKind, Task, EnvelopeTaskSpec, TaskName } from './task.js';

/** A task writing a task result, with the lane every such task shares. */
export type EnvelopeTask = EnvelopeTaskSpec & Task;

function withEnvelopeLane(m: EnvelopeTaskSpec): EnvelopeTask {
  return { ...m, openLane: (input) => openEnvelopeLane(m, input) };
}

/**
 * Every task, keyed by id: zero-shot classification (its own lane: prompt-set classifiers,
 * per-item predictions, ranged shards) and the tasks writing a task result (one shared lane).
 */
const TASK_MODULES: ReadonlyMap<TaskName, Task> = new Map<TaskName, Task>([
  [zeroshotClassificationTask.id, zeroshotClassificationTask],
  ...[retrievalTask, multilabelTask, linearProbeTask, captionSelectionTask, zeroshotOodTask].map((m) => [m.id, withEnvelopeLane(m)] as const),
]);

/** The module of a task id; an unknown id lists the known ones. */
export function taskModule(id: TaskId): EnvelopeTask;
export function taskModule(id: string): Task;
export function taskModule(id: string): Task {
  const m = TASK_MODULES.get(id as TaskName);
  if (!m) throw new ZeroshiftError('USAGE', `unknown task '${id}'${didYouMean(id, [...TASK_MODULES.keys()])}; known tasks: ${[...TASK_MODULES.keys()].join(', ')}`);
  return m;
}

/** The task that reads datasets of this kind by default. */
export function defaultTaskFor(kind: DatasetKind): TaskName {
  if (kind === 'selection') return 'image_caption_selection';
  return kind === 'captioned' ? 'zeroshot_retrieval' : kind === 'multilabel' ? 'multilabel' : 'zeroshot_classification';
}
