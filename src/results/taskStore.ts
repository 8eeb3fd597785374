import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { jsonErrorReason } from '../util/jsonError.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { formatZodIssue } from '../util/zodMessage.js';
import { slug } from './paths.js';
import { taskResultSchema, type TaskResult } from './taskSchema.js';

/** `task-<task>__<model>__<dataset>__<id8>.json`: the id keeps results of other settings (k, --limit) apart. */
export function taskResultFileName(r: TaskResult): string {
  return `task-${r.task}__${slug(r.model.name)}__${slug(r.dataset.name)}__${r.id.slice(0, 8)}.json`;
}

export async function writeTaskResult(outDir: string, r: TaskResult): Promise<string> {
  const file = join(outDir, taskResultFileName(r));
  await writeFileAtomic(file, `${JSON.stringify(taskResultSchema.parse(r), null, 2)}\n`);
  return file;
}

export async function readTaskResult(file: string): Promise<TaskResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('INPUT', `${file}: not a readable JSON task result (${jsonErrorReason(e)})`);
  }
  const parsed = taskResultSchema.safeParse(raw);
  if (!parsed.success) throw new ZeroshiftError('INPUT', `${file}: not a valid task result: ${formatZodIssue(parsed.error.issues[0])}`);
  return parsed.data;
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
