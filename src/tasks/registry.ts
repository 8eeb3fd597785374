import { ZeroshiftError } from '../errors.js';
import type { TaskId } from '../results/taskIds.js';
import { retrievalTask } from './retrieval.js';
import { multilabelTask } from './multilabel.js';
import { linearProbeTask } from './linearProbe.js';
import { captionSelectionTask } from './captionSelection.js';
import { zeroshotOodTask } from './zeroshotOod.js';
import type { DatasetKind, TaskModule } from './task.js';

/**
 * The tasks beyond zero-shot classification, keyed by id. Zero-shot classification is the
 * runner's own path (eval/runUnit.ts: prompt-set classifiers, per-item predictions, ranged
 * shards); every other task is one module here.
 */
const TASK_MODULES: ReadonlyMap<TaskId, TaskModule> = new Map<TaskId, TaskModule>([
  [retrievalTask.id, retrievalTask],
  [multilabelTask.id, multilabelTask],
  [linearProbeTask.id, linearProbeTask],
  [captionSelectionTask.id, captionSelectionTask],
  [zeroshotOodTask.id, zeroshotOodTask],
]);

/** The module of a task id; an unknown id lists the known ones. */
export function taskModule(id: string): TaskModule {
  const m = TASK_MODULES.get(id as TaskId);
  if (!m) throw new ZeroshiftError('USAGE', `unknown task '${id}'; known tasks: zeroshot_classification, ${[...TASK_MODULES.keys()].join(', ')}`);
  return m;
}

/** The task that reads datasets of this kind by default. */
export function defaultTaskFor(kind: DatasetKind): TaskId | 'zeroshot_classification' {
  if (kind === 'selection') return 'image_caption_selection';
  return kind === 'captioned' ? 'zeroshot_retrieval' : kind === 'multilabel' ? 'multilabel' : 'zeroshot_classification';
}
