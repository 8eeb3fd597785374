import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { formatZodIssue } from '../util/zodMessage.js';
import { readJsonFile } from '../util/jsonError.js';
import { resultSchema, type Result } from './schema.js';
import { parseResult } from './upgrade.js';
import type { TaskId } from './taskIds.js';
import { upgradeTaskResultV1, type IndexRow, type TaskResultBase } from './tasks/base.js';
import { retrievalIndexRow, retrievalResultSchema } from './tasks/retrieval.js';
import { multilabelIndexRow, multilabelResultSchema } from './tasks/multilabel.js';
import { selectionIndexRow, selectionResultSchema } from './tasks/captionSelection.js';
import { probeIndexRow, probeResultSchema } from './tasks/linearProbe.js';
import { oodIndexRow, oodResultSchema } from './tasks/zeroshotOod.js';
import { groupIndexColumns } from './groupSchema.js';

/**
 * A task result: one record per task (results/tasks/<task>.ts), told apart by `task`. A task
 * added under results/tasks/ joins here, and is then read, written, merged and indexed.
 */
export const taskResultSchema = z.discriminatedUnion('task', [retrievalResultSchema, multilabelResultSchema, selectionResultSchema, probeResultSchema, oodResultSchema]);

type TaskRecord = z.infer<typeof taskResultSchema>;

/** Keys of any member of a union. */
type KeysOfAny<T> = T extends unknown ? keyof T : never;

/** The fields that hold one task's metrics (retrieval, probe, …): each task's record has its own and none of the others. */
type MetricKey = Exclude<KeysOfAny<TaskRecord>, keyof TaskResultBase | 'task'>;

/**
 * A task result: its task's record, with the other tasks' metric fields typed absent (the
 * schema strips them), so code over results of several tasks may ask `r.retrieval?.…` of any.
 */
export type TaskResult = TaskRecord extends infer R ? (R extends unknown ? R & { [K in Exclude<MetricKey, keyof R>]?: undefined } : never) : never;

/**
 * Every result zeroshift writes, told apart by `task`: zero-shot classification (Result v2,
 * results/schema.ts) and each task's record (TaskResult v2). Older files (Result v1,
 * TaskResult v1) are upgraded before they are checked, so they still read.
 */
export const resultEnvelopeSchema = z.discriminatedUnion('task', [resultSchema, ...taskResultSchema.options]);

/** A result of any task. */
export type AnyResult = Result | TaskResult;

/** Validates a parsed result file of any task and version; errors name the file and the failing key. */
export function parseAnyResult(raw: unknown, file: string): AnyResult {
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  // Classification results keep their own reader: v1 upgrade and value-range checks (upgrade.ts).
  if (kind === 'zeroshift-result') return parseResult(raw, file);
  const parsed = resultEnvelopeSchema.safeParse(upgradeTaskResultV1(raw));
  if (!parsed.success) throw new ZeroshiftError('INPUT', `${file}: not a valid zeroshift result: ${formatZodIssue(parsed.error.issues[0])}`);
  return parsed.data;
}

/** Reads one result file of any task. */
export async function readAnyResult(file: string): Promise<AnyResult> {
  return parseAnyResult(await readJsonFile(file, 'result'), file);
}

/** Each task's index.csv columns (its record's row function), keyed by task id. */
const INDEX_ROWS: { [K in TaskId]: (r: Extract<TaskResult, { task: K }>) => IndexRow } = {
  zeroshot_retrieval: retrievalIndexRow,
  multilabel: multilabelIndexRow,
  image_caption_selection: selectionIndexRow,
  linear_probe: probeIndexRow,
  zeroshot_ood: oodIndexRow,
};

/** index.csv rows of task results, in CLIP_benchmark's metric names where it has them, then their group columns. */
export function taskIndexRows(results: readonly TaskResult[]): IndexRow[] {
  return results.map((r) => ({ ...(INDEX_ROWS[r.task] as (r: TaskResult) => IndexRow)(r), ...groupIndexColumns(r.groupSummary) }));
}
