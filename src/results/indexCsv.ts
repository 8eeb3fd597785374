import { join } from 'node:path';
import { toCsv } from '../util/csv.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import type { Result } from './schema.js';
import { taskIndexRows, type TaskResult } from './envelope.js';
import { findResultFiles, findTaskResultFiles, readResult, readTaskResult } from './store.js';
import { groupIndexColumns } from './groupSchema.js';
import { executionProviderOf } from './modelLabel.js';
import { isPartialResult } from './partial.js';

/** index.csv: one row per result of any task in a results directory, CLIP_benchmark's columns first. */

/** CLIP_benchmark-compatible columns plus zeroshift's own. */
export function indexRows(results: Result[]): Record<string, string | number>[] {
  return results.map((r) => ({
    acc1: r.metrics.acc1,
    acc5: r.metrics.acc5 ?? '',
    mean_per_class_recall: r.metrics.meanPerClassRecall,
    dataset: r.dataset.name,
    model: r.model.name,
    dtype: r.model.dtype,
    execution_provider: executionProviderOf(r.model),
    pretrained: r.model.hashes.visionModel.slice(0, 12),
    task: r.task === 'zeroshot_classification' ? 'zeroshot_classification' : r.task,
    shift: r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none',
    text_shift: r.textShift ? `${r.textShift.name}:${r.textShift.severity}` : 'none',
    prompts: r.prompts.name,
    n: r.metrics.n,
    acc1_ci_low: r.metrics.acc1Ci[0],
    acc1_ci_high: r.metrics.acc1Ci[1],
    ece: r.metrics.ece,
    family: r.dataset.family ?? '',
    variant: r.dataset.variant ?? '',
    result_id: r.id,
    partial: isPartialResult(r) ? 'true' : 'false',
    ...groupIndexColumns(r.groupSummary),
  }));
}

/**
 * Rebuilds `index.csv` from every result in `outDir` (idempotent, so concurrent runs converge).
 * With `onUnreadable`, a result file that fails to read or validate (a stranger's file, one
 * from another schema version) is reported and left out instead of failing the call: a run
 * must not lose its own finished results to a bad file it did not write.
 */
export async function rebuildIndex(outDir: string, onUnreadable?: (file: string, reason: string) => void): Promise<string> {
  const files = await findResultFiles(outDir);
  const results: Result[] = [];
  for (const f of files) {
    try {
      const r = await readResult(f);
      // A shard's slice of a split unit is not a result of the whole dataset: it is not a row.
      if (r.range) onUnreadable?.(f, `${f}: a shard's partial result (items ${r.range.start}-${r.range.end} of ${r.range.of}); merge the shards with 'zeroshift merge'`);
      else results.push(r);
    } catch (e) {
      if (!onUnreadable) throw e;
      onUnreadable(f, (e as Error).message);
    }
  }
  // Task results are rows too, with their own columns (results/tasks/<task>.ts).
  const tasks: TaskResult[] = [];
  for (const f of await findTaskResultFiles(outDir)) {
    try {
      tasks.push(await readTaskResult(f));
    } catch (e) {
      if (!onUnreadable) throw e;
      onUnreadable(f, (e as Error).message);
    }
  }
  const rows = [...indexRows(results), ...taskIndexRows(tasks)];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const file = join(outDir, 'index.csv');
  // Papa joins rows with CRLF by default; with the final LF that mixed two line endings.
  await writeFileAtomic(file, toCsv(rows, { newline: '\n', columns: columns.length ? columns : undefined }));
  return file;
}
