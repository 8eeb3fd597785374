import { existsSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { PACKAGE_ROOT } from '../util/version.js';

/** Where the embedded models live. */
export const MODELS_DIR = join(PACKAGE_ROOT, 'models');

/**
 * Built-in model names → paths: every model directory under models/ and every spec file
 * of the zoo (`v32x2-s150` → models/tiny-clip-shapes-zoo/v32x2-s150.json).
 */
export function builtinModels(): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(MODELS_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(MODELS_DIR, entry.name);
    if (existsSync(join(dir, 'config.json')) || existsSync(join(dir, 'zeroshift-model.json'))) out.set(entry.name, dir);
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.json') && f !== 'zeroshift-model.json' && !['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'].includes(f)) {
        out.set(basename(f, '.json'), join(dir, f));
      }
    }
  }
  return out;
}

/** Resolves a model reference: an existing path stays as it is; a built-in name maps to its path. */
export function resolveBuiltinModel(ref: string): string | undefined {
  if (existsSync(ref)) return ref;
  return builtinModels().get(ref);
}
