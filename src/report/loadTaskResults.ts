import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { TaskResult } from '../results/envelope.js';
import { findTaskResultFiles, readTaskResult } from '../results/store.js';
import { readSuiteAveragesIn, type SuiteAveragesFile } from '../results/suiteAverages.js';

/**
 * Task results (retrieval, linear probe, multi-label: `task-*.json`) among the report's inputs:
 * those in each given directory (and its subdirectories with `recursive`) and task result
 * files given directly. Each is validated; an invalid one throws INPUT naming the file.
 */
export async function loadTaskResults(paths: readonly string[], options: { recursive?: boolean } = {}): Promise<TaskResult[]> {
  const files = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    for (const f of await findTaskResultFiles(dir)) files.add(f);
    if (!options.recursive) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const d of entries) if (d.isDirectory() && !d.name.startsWith('.')) await visit(join(dir, d.name));
  };
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (info?.isDirectory()) await visit(p);
    else if (info && basename(p).startsWith('task-') && p.endsWith('.json')) files.add(p);
  }
  const out: TaskResult[] = [];
  for (const f of [...files].sort()) out.push(await readTaskResult(f));
  return out;
}

/** The suite-averages file among the report's input directories (the first, when several runs are reported together). */
export async function loadSuiteAverages(paths: readonly string[]): Promise<SuiteAveragesFile | undefined> {
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (info?.isDirectory()) {
      const found = await readSuiteAveragesIn(p);
      if (found[0]) return found[0];
    }
  }
  return undefined;
}
