/**
 * What `npm run bench` runs, from its flags. Naming any of --configs, --process or --pipeline
 * runs only what is named (`--configs tiny-png` had still run the default suite three times,
 * through --process's default); naming none runs the full set. Results go to an untracked file
 * under benchmarks/generated/ unless --out names one (the committed
 * benchmarks/bench-results.json is rewritten only when asked for).
 */
import { join } from 'node:path';

export const DEFAULT_CONFIGS = 'tiny-png,tiny-q8,vitb32-jpeg';
export const DEFAULT_PROCESS = 'multi-model,default-suite,startup';

/** @param {Record<string, string | boolean | undefined>} flags parsed flags (undefined = not given) @param {string} root the checkout */
export function benchPlan(flags, root) {
  const named = flags.configs !== undefined || flags.process !== undefined || (flags.pipeline !== undefined && flags.pipeline !== '');
  const list = (v, all) => (v ?? (named ? 'none' : all)).split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
  return {
    configs: list(flags.configs, DEFAULT_CONFIGS),
    process: list(flags.process, DEFAULT_PROCESS),
    pipeline: flags.pipeline ? flags.pipeline.split(',').map(Number) : [],
    out: flags.out ?? join(root, 'benchmarks', 'generated', 'bench-results.json'),
  };
}
