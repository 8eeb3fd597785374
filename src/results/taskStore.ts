import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { modelFilePart, slug } from './paths.js';
import { taskResultSchema, type TaskResult } from './taskSchema.js';
import { readAnyResult } from './envelope.js';

/**
 * `task-<task>__<model>[-dtype][-provider]__<dataset>[__<shift>][__text-<name>-<severity>]__<id8>.json`:
 * the id keeps results of other settings (k, --limit) apart; the dtype (unless fp32), the
 * execution provider (unless cpu) and the shifts are in the name so a listing shows them.
 * `legacy` gives the name without dtype and provider that task results had before.
 */
export function taskResultFileName(r: Pick<TaskResult, 'task' | 'model' | 'dataset' | 'shift' | 'textShift' | 'id'>, legacy = false): string {
  const shift = r.shift ? `__${slug(`${r.shift.corruption}-${r.shift.severity}`)}` : '';
  const text = r.textShift ? `__${slug(`text-${r.textShift.name}-${r.textShift.severity}`)}` : '';
  const model = legacy ? r.model.name : modelFilePart(r.model);
  return `task-${r.task}__${slug(model)}__${slug(r.dataset.name)}${shift}${text}__${r.id.slice(0, 8)}.json`;
}

/**
 * The result with this identity in `outDir` (--skip-existing): at its name, or at the name
 * without dtype and provider that an older run wrote; null when absent or unreadable.
 */
export async function findTaskResult(outDir: string, key: Pick<TaskResult, 'task' | 'model' | 'dataset' | 'shift' | 'textShift' | 'id'>): Promise<{ file: string; result: TaskResult } | null> {
  for (const file of new Set([join(outDir, taskResultFileName(key)), join(outDir, taskResultFileName(key, true))])) {
    try {
      const result = await readTaskResult(file);
      if (result.id === key.id) return { file, result };
    } catch {
      // absent or unreadable: try the next name
    }
  }
  return null;
}

export async function writeTaskResult(outDir: string, r: TaskResult): Promise<string> {
  const file = join(outDir, taskResultFileName(r));
  await writeFileAtomic(file, `${JSON.stringify(taskResultSchema.parse(r), null, 2)}\n`);
  return file;
}

/** Reads one task result (any version, through the results envelope); a classification result here is refused. */
export async function readTaskResult(file: string): Promise<TaskResult> {
  const r = await readAnyResult(file);
  if (r.kind !== 'zeroshift-task-result') throw new ZeroshiftError('INPUT', `${file}: a zero-shot classification result, not a task result`);
  return r;
}

/** Task results directly in `dir` (not its subdirectories), sorted by file name. */
export async function findTaskResultFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith('task-') && n.endsWith('.json')).sort().map((n) => join(dir, n));
}
