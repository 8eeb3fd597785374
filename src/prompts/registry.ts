import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from '../util/registry.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { clipBenchmarkDatasets, loadClipBenchmarkPrompts } from './clipBenchmark.js';
import { loadPromptSetFile, parsePromptSet } from './load.js';
import type { PromptSet } from './schema.js';

/** Directory of the shipped prompt sets (one `<id>.json` each). */
export const SHIPPED_PROMPTS_DIR = join(PACKAGE_ROOT, 'prompts');
/** CLIP_benchmark's files, shipped under data/reference/. */
export const CLIP_BENCHMARK_CLASSNAMES = join(PACKAGE_ROOT, 'data', 'reference', 'clip_benchmark-en_classnames.json');
export const CLIP_BENCHMARK_TEMPLATES = join(PACKAGE_ROOT, 'data', 'reference', 'clip_benchmark-en_zeroshot_classification_templates.json');
/** Prefix of the ids of CLIP_benchmark's sets, e.g. `cb:cifar10`. */
export const CLIP_BENCHMARK_PREFIX = 'cb:';

type Loader = () => PromptSet;

let registry: Registry<Loader> | undefined;
const loaded = new Map<string, PromptSet>();

function buildRegistry(): Registry<Loader> {
  const r = new Registry<Loader>('prompt set', 'USAGE');
  for (const file of readdirSync(SHIPPED_PROMPTS_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(SHIPPED_PROMPTS_DIR, file);
    r.register(file.slice(0, -'.json'.length), () => parsePromptSet(JSON.parse(readFileSync(path, 'utf8')), path));
  }
  for (const dataset of clipBenchmarkDatasets(CLIP_BENCHMARK_TEMPLATES)) {
    r.register(`${CLIP_BENCHMARK_PREFIX}${dataset}`, () => loadClipBenchmarkPrompts(CLIP_BENCHMARK_CLASSNAMES, CLIP_BENCHMARK_TEMPLATES, dataset));
  }
  return r;
}

function shipped(): Registry<Loader> {
  registry ??= buildRegistry();
  return registry;
}

/** Ids of every shipped prompt set, CLIP_benchmark's `cb:<dataset>` ones included. */
export function promptSetIds(): string[] {
  return shipped().ids();
}

export function hasPromptSet(id: string): boolean {
  return shipped().has(id);
}

/** The shipped prompt set `id` (validated, cached); unknown ids throw listing the known ones. */
export function getPromptSet(id: string): PromptSet {
  let set = loaded.get(id);
  if (set === undefined) {
    set = shipped().get(id)();
    loaded.set(id, set);
  }
  return set;
}

/** True when the argument names a file rather than a shipped id. */
export function looksLikePath(idOrPath: string): boolean {
  return idOrPath.endsWith('.json') || idOrPath.includes('/') || idOrPath.includes('\\');
}

/**
 * A prompt set from a shipped id (`imagenet`, `shapes-shape`), a CLIP_benchmark id
 * (`cb:cifar10`) or a JSON file path (anything ending in .json or containing a slash).
 */
export async function loadPromptSet(idOrPath: string): Promise<{ set: PromptSet; source: 'shipped' | 'file' }> {
  if (looksLikePath(idOrPath)) return { set: await loadPromptSetFile(idOrPath), source: 'file' };
  return { set: getPromptSet(idOrPath), source: 'shipped' };
}
