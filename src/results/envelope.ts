import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { formatZodIssue } from '../util/zodMessage.js';
import { readJsonFile } from '../util/jsonError.js';
import { resultSchema, type Result } from './schema.js';
import { taskResultSchema, upgradeTaskResult, type TaskResult } from './taskSchema.js';
import { parseResult } from './upgrade.js';

/**
 * Every result zeroshift writes, told apart by `task`: zero-shot classification (Result v2) and
 * each task module's result (TaskResult v2). Older files (Result v1, TaskResult v1) are upgraded
 * before they are checked, so they still read. The task results are taskResultSchema's own
 * members, so a task added there is read here too (zeroshot_ood had been refused as invalid).
 */
export const resultEnvelopeSchema = z.discriminatedUnion('task', [resultSchema, ...taskResultSchema.options]);

/** A result of any task. */
export type AnyResult = Result | TaskResult;

/** Validates a parsed result file of any task and version; errors name the file and the failing key. */
export function parseAnyResult(raw: unknown, file: string): AnyResult {
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  // Classification results keep their own reader: v1 upgrade and value-range checks (upgrade.ts).
  if (kind === 'zeroshift-result') return parseResult(raw, file);
  const parsed = resultEnvelopeSchema.safeParse(upgradeTaskResult(raw));
  if (!parsed.success) throw new ZeroshiftError('INPUT', `${file}: not a valid zeroshift result: ${formatZodIssue(parsed.error.issues[0])}`);
  return parsed.data;
}

/** Reads one result file of any task. */
export async function readAnyResult(file: string): Promise<AnyResult> {
  return parseAnyResult(await readJsonFile(file, 'result'), file);
}
