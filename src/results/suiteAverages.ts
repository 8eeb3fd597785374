import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { formatZodIssue } from '../util/zodMessage.js';

/**
 * A suite's averages per model (DataComp's groups; a suite file's `averages`, such as
 * SugarCrepe's mean of its 7 files), written by `eval --suite` as
 * `suite-averages__<suite>.json` beside the results, and read by the report (summary.csv and
 * its averages table).
 */
export const suiteAveragesSchema = z.object({
  kind: z.literal('zeroshift-suite-averages'),
  schemaVersion: z.literal(1),
  suite: z.string(),
  createdAt: z.string(),
  /** `--limit`: the averages are over partial results. */
  limit: z.object({ n: z.number().int(), seed: z.number().int() }).nullable(),
  /** Average names, in the suite's order. */
  groups: z.array(z.string()),
  /** Average name → every task (dataset) it averages, present or not: what "mean of 6 of 7" counts. */
  members: z.record(z.string(), z.array(z.string())).optional(),
  /** Task name → the metric its score is (acc, mean R@1, top-1, ...). */
  metrics: z.record(z.string(), z.string()).optional(),
  /** What each average is, in words (a suite file's means; DataComp's files say it in the report). */
  rule: z.string().optional(),
  models: z.array(z.object({
    model: z.string(),
    /** Task name → its main metric. */
    scores: z.record(z.string(), z.number()),
    /** Average name → mean of its tasks' scores present (null when none is). */
    averages: z.record(z.string(), z.number().nullable()),
    /** Average name → tasks of it without a score (DataComp requires all: such an average is partial). */
    missing: z.record(z.string(), z.array(z.string())),
  })),
});
export type SuiteAveragesFile = z.infer<typeof suiteAveragesSchema>;

export const suiteAveragesFileName = (suite: string): string => `suite-averages__${suite.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;

export async function writeSuiteAverages(outDir: string, a: SuiteAveragesFile): Promise<string> {
  const file = join(outDir, suiteAveragesFileName(a.suite));
  await writeFileAtomic(file, `${JSON.stringify(a, null, 2)}\n`);
  return file;
}

/** Every suite-averages file directly in `dir`, validated (an invalid one throws INPUT naming it). */
export async function readSuiteAveragesIn(dir: string): Promise<SuiteAveragesFile[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith('suite-averages__') && n.endsWith('.json')).sort();
  const out: SuiteAveragesFile[] = [];
  for (const n of names) {
    const file = join(dir, n);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new ZeroshiftError('INPUT', `${file}: not readable JSON (${(e as Error).message})`);
    }
    const parsed = suiteAveragesSchema.safeParse(raw);
    if (!parsed.success) throw new ZeroshiftError('INPUT', `${file}: not a valid suite-averages file: ${formatZodIssue(parsed.error.issues[0])}`);
    out.push(parsed.data);
  }
  return out;
}
