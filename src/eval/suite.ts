import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { ZeroshiftError, didYouMean, isZeroshiftError, shortIdList } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { formatZodIssue } from '../util/zodMessage.js';
import { families } from '../datasets/families.js';
import { formatDatasetSpec, parseDatasetSpec } from '../datasets/spec.js';
import type { DatasetSpec } from '../datasets/types.js';
import { closest as suggest } from '../util/suggest.js';
import { checkUnitBound, DEFAULT_MAX_SUITE_UNITS } from './suiteBound.js';
import { resolveBuiltinModel } from '../model/builtinModels.js';
import { resolveModelFiles } from '../model/modelFiles.js';
import { loadPromptSet } from '../prompts/registry.js';

/** Versioned evaluation suite: models × datasets (or families) × shifts × prompt sets. */
export const SUITE_SCHEMA_VERSION = 1;

/** Per-item metadata fields to report per-group metrics over (as --group-by). */
const groupByKey = z.array(z.string().min(1)).min(1).optional();

const datasetEntry = z.union([
  z.object({ spec: z.string().min(1), name: z.string().optional(), groupBy: groupByKey }).strict(),
  z
    .object({
      family: z.string().min(1),
      groupBy: groupByKey,
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
    /** ImageNet-C's frost photographs (relative to the suite file); --frost-dir overrides it. */
    frostDir: z.string().min(1).optional(),
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
    groupBy: groupByKey,
    /** Model whose corruption errors normalise CE and mCE outside ImageNet; recorded in every result's provenance for `report`. */
    ceBaseline: z.string().min(1).optional(),
    /**
     * Means over the suite's datasets, each dataset's main metric on its clean result (SugarCrepe's
     * mean of its 7 files): `datasets` is "all" or dataset names (an entry's `name`, else its spec).
     */
    averages: z.array(z.object({ name: z.string().min(1), datasets: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]) }).strict()).min(1).optional(),
  })
  .strict();

const SUITE_KEYS = [
  ...Object.keys(suiteSchema.shape),
  ...Object.keys(shiftsEntry.shape),
  'spec', 'family', 'variants', 'options', 'groupBy',
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
export async function loadSuite(ref: string, options: { maxUnits?: number } = {}): Promise<Suite> {
  const file = resolveSuitePath(ref);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('CONFIG', `${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) throw new ZeroshiftError('CONFIG', `${file}: ${formatZodIssue(parsed.error.issues[0], SUITE_KEYS)}`);
  checkDuplicates(parsed.data, file);
  checkUnitBound(parsed.data, file, options.maxUnits ?? DEFAULT_MAX_SUITE_UNITS);
  checkShiftVariants(parsed.data, file);
  return { ...parsed.data, datasets: parsed.data.datasets.map((d) => resolveEntrySpec(d, file)), file };
}

/**
 * Runs planning work that reads a suite's entries (datasets, families, variants, shifts, models,
 * prompt sets) so that every user error it raises names the suite file: "unknown corruption
 * 'fogg'" alone did not say which of several suites held the typo. Messages that already name
 * the file are kept as they are.
 */
export async function inSuiteFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isZeroshiftError(e) || e.code === 'INTERNAL' || e.code === 'INTERRUPTED' || e.message.includes(file)) throw e;
    throw new ZeroshiftError(e.code, `${file}: ${e.message}`, { hint: e.hint, cause: e });
  }
}

/**
 * Checks the suite's model and prompt-set references that the run will use (those not
 * overridden on the command line): a built-in name, an existing path (relative to the suite
 * file for models) or `hf:`, and a shipped prompt id, `cb:<dataset>` or a readable file.
 * Call it inside `inSuiteFile`, so the errors (with their "did you mean") name the suite.
 */
export async function checkSuiteRefs(suite: Suite, use: { models: boolean; prompts: boolean }): Promise<void> {
  if (use.models) {
    for (const ref of suite.models) {
      const path = suiteRelative(suite, ref);
      if (!ref.startsWith('hf:') && resolveBuiltinModel(path) === undefined) resolveModelFiles(path);
    }
  }
  if (use.prompts) for (const ref of suite.prompts ?? []) await loadPromptSet(ref);
}

/**
 * A repeated model, dataset, corruption, severity, variant or prompt set would run (and count)
 * the same unit twice; suites name each once.
 */
function checkDuplicates(suite: z.infer<typeof suiteSchema>, file: string): void {
  const lists: [string, unknown[]][] = [
    ['models', suite.models],
    ['datasets', suite.datasets.map((d) => JSON.stringify('spec' in d ? { spec: d.spec } : { family: d.family, variants: d.variants ?? null, options: d.options ?? null }))],
    ['shifts.corruptions', suite.shifts && suite.shifts.corruptions !== 'all' ? suite.shifts.corruptions : []],
    ['shifts.severities', suite.shifts?.severities ?? []],
    ['shifts.variants', suite.shifts?.variants ?? []],
    ['prompts', suite.prompts ?? []],
    ...suite.datasets.flatMap((d, i): [string, unknown[]][] => ('family' in d && d.variants ? [[`datasets[${i}].variants`, d.variants]] : [])),
  ];
  for (const [key, values] of lists) {
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      const k = typeof v === 'string' ? v : JSON.stringify(v);
      const first = seen.get(k);
      if (first !== undefined) {
        throw new ZeroshiftError('CONFIG', `${file}: ${key}[${i}] repeats ${key}[${first}] (${k}); each may appear once, or the same units run and are counted twice`);
      }
      seen.set(k, i);
    });
  }
}

/** `shifts.variants` must name variants of the suite's families: a typo would silently drop every corruption unit. */
function checkShiftVariants(suite: z.infer<typeof suiteSchema>, file: string): void {
  const wanted = suite.shifts?.variants;
  if (!wanted) return;
  const familyIds = suite.datasets.flatMap((d) => ('family' in d ? [d.family] : []));
  const known = familyIds.flatMap((id) => (families.has(id) ? families.get(id).variants.flatMap((v) => [v.id, v.id.replace(`${id}-`, '')]) : []));
  wanted.forEach((v, i) => {
    if (known.includes(v)) return;
    const valid = [...new Set(familyIds.flatMap((id) => (families.has(id) ? families.get(id).variants.map((x) => x.id) : [])))].filter((x) => !/-[2-5]$/.test(x));
    const close = suggest(v, known);
    throw new ZeroshiftError('CONFIG', `${file}: shifts.variants[${i}] '${v}' is not a variant of the suite's families (${familyIds.join(', ') || 'none: shifts.variants applies to family entries only'})${close ? `; did you mean '${close}'?` : ''}${valid.length ? ` valid: ${valid.join(', ')}` : ''}`);
  });
}

/**
 * Paths in a dataset `spec` of a suite (the argument and a `classnames` option) are relative to
 * the suite file, as model paths are, so a suite runs the same from any directory. A path that
 * does not exist there is kept as written (relative to the current directory, the old rule).
 */
function resolveEntrySpec(entry: SuiteDatasetEntry, file: string): SuiteDatasetEntry {
  if (!('spec' in entry)) return entry;
  let spec: DatasetSpec;
  try {
    spec = parseDatasetSpec(entry.spec);
  } catch {
    return entry; // reported with the suite's other dataset errors when the plan opens it
  }
  const rel = (p: string | undefined): string | undefined => {
    if (p === undefined || p === '' || isAbsolute(p)) return p;
    const candidate = resolve(dirname(file), p);
    return existsSync(candidate) ? candidate : p;
  };
  const options = spec.options.classnames !== undefined ? { ...spec.options, classnames: rel(spec.options.classnames)! } : spec.options;
  // Generated datasets (shapes:dark) take a variant name, not a path.
  const resolved = { ...spec, arg: spec.adapter === 'shapes' ? spec.arg : rel(spec.arg)!, options };
  if (resolved.arg === spec.arg && options === spec.options) return entry;
  return { ...entry, spec: formatDatasetSpec(resolved) };
}

/** Model refs in a suite are relative to the suite file unless absolute or a built-in name. */
export function suiteRelative(suite: Suite, ref: string): string {
  if (isAbsolute(ref)) return ref;
  const rel = resolve(dirname(suite.file), ref);
  return existsSync(rel) ? rel : ref;
}
