import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { ZeroshiftError, didYouMean, shortIdList } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { formatZodIssue } from '../util/zodMessage.js';

/** Versioned evaluation suite: models × datasets (or families) × shifts × prompt sets. */
export const SUITE_SCHEMA_VERSION = 1;

const datasetEntry = z.union([
  z.object({ spec: z.string().min(1), name: z.string().optional() }).strict(),
  z
    .object({
      family: z.string().min(1),
      variants: z.array(z.string().min(1)).min(1).optional(),
      /** Spec options applied to every variant (e.g. shapes `n`, `seed`). */
      options: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    })
    .strict(),
]);

const shiftsEntry = z
  .object({
    corruptions: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]),
    severities: z.array(z.number().int().min(1).max(5)).min(1).default([1, 2, 3, 4, 5]),
    /** Which variants get the corruptions; default: each family's standard variant. */
    variants: z.array(z.string()).optional(),
  })
  .strict();

export const suiteSchema = z
  .object({
    schemaVersion: z.literal(SUITE_SCHEMA_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    models: z.array(z.string().min(1)).min(1),
    datasets: z.array(datasetEntry).min(1),
    shifts: shiftsEntry.optional(),
    prompts: z.array(z.string().min(1)).min(1).optional(),
    ensembling: z.enum(['clip', 'testbed']).default('clip'),
  })
  .strict();

const SUITE_KEYS = [
  ...Object.keys(suiteSchema.shape),
  ...Object.keys(shiftsEntry.shape),
  'spec', 'family', 'variants', 'options',
];

export type Suite = z.infer<typeof suiteSchema> & { file: string };
export type SuiteDatasetEntry = z.infer<typeof datasetEntry>;

/** Directory of the shipped suites. */
export const BENCHMARKS_DIR = join(PACKAGE_ROOT, 'benchmarks');

/** Names of the shipped suites (benchmarks/*.json holding a suite, not benchmark figures). */
function shippedSuites(): string[] {
  const isSuite = (f: string): boolean => {
    try {
      return Array.isArray((JSON.parse(readFileSync(join(BENCHMARKS_DIR, f), 'utf8')) as { datasets?: unknown }).datasets);
    } catch {
      return false;
    }
  };
  return readdirSync(BENCHMARKS_DIR).filter((f) => f.endsWith('.json') && isSuite(f)).map((f) => f.replace(/\.json$/, ''));
}

/** Resolves a suite name (`shapes-robustness`) or path to a file. */
export function resolveSuitePath(ref: string): string {
  const candidates = [ref, `${ref}.json`, join(BENCHMARKS_DIR, ref), join(BENCHMARKS_DIR, `${ref}.json`)];
  const found = candidates.find((c) => existsSync(c) && c.endsWith('.json'));
  if (!found) {
    const shipped = shippedSuites();
    throw new ZeroshiftError('CONFIG', `suite '${ref}' not found${didYouMean(ref, shipped)} (looked for a file and in ${BENCHMARKS_DIR})`, {
      hint: `shipped suites: ${shortIdList(shipped)}; or pass a path to a suite JSON file`,
    });
  }
  return resolve(found);
}

/** Loads and validates a suite file; errors name the file, the key and the valid choices. */
export async function loadSuite(ref: string): Promise<Suite> {
  const file = resolveSuitePath(ref);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('CONFIG', `${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) throw new ZeroshiftError('CONFIG', `${file}: ${formatZodIssue(parsed.error.issues[0]!, SUITE_KEYS)}`);
  return { ...parsed.data, file };
}

/** Model refs in a suite are relative to the suite file unless absolute or a built-in name. */
export function suiteRelative(suite: Suite, ref: string): string {
  if (isAbsolute(ref)) return ref;
  const rel = resolve(dirname(suite.file), ref);
  return existsSync(rel) ? rel : ref;
}
