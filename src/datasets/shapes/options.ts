import { ZeroshiftError } from '../../errors.js';
import { COMBO_SETS, parseDomain, type ComboSet } from './scene.js';
import { SHAPES_TASKS } from './tasks.js';
import type { Domain } from './world.js';

/** Parsed generator options of a `shapes:` spec. */
export interface ShapesOptions {
  domain: Domain;
  n: number;
  seed: number;
  task: string;
  size: number;
  combos: ComboSet;
}

/** Option keys with their meaning, for `zeroshift datasets`. */
export const SHAPES_OPTION_DOCS: Record<string, string> = {
  n: 'number of images (default 1000)',
  seed: 'generator seed, a non-negative integer (default 0)',
  task: `classification task: ${SHAPES_TASKS.ids().join(', ')} (default shape)`,
  size: 'canvas side in pixels (default 64, the size the embedded model was trained at)',
  combos: "colour-shape combinations for standard/dark/sketch: 'seen' (default: the 56 not held out, as the reference evaluation) or 'all' 64",
};

const DEFAULTS = { n: '1000', seed: '0', task: 'shape', size: '64', combos: 'seen' };

function intOption(key: string, value: string, min: number, max: number): number {
  const v = Number(value);
  if (!/^\d+$/.test(value) || v < min || v > max) {
    throw new ZeroshiftError('USAGE', `shapes option ${key}=${value} must be an integer in [${min}, ${max}]`);
  }
  return v;
}

/** Validates the domain argument and the query options of a `shapes:` spec. */
export function parseShapesOptions(arg: string, options: Record<string, string>): ShapesOptions {
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULTS)) {
      throw new ZeroshiftError('USAGE', `unknown shapes option '${key}'; valid: ${Object.keys(DEFAULTS).join(', ')}`);
    }
  }
  const o = { ...DEFAULTS, ...options };
  if (!(COMBO_SETS as readonly string[]).includes(o.combos)) {
    throw new ZeroshiftError('USAGE', `shapes option combos=${o.combos} is invalid; valid: ${COMBO_SETS.join(', ')}`);
  }
  SHAPES_TASKS.get(o.task);
  return {
    domain: parseDomain(arg === '' ? 'standard' : arg),
    n: intOption('n', o.n, 1, 10_000_000),
    seed: intOption('seed', o.seed, 0, 0xffffffff),
    task: o.task,
    size: intOption('size', o.size, 8, 4096),
    combos: o.combos as ComboSet,
  };
}

/** The canonical spec string of some options (defaults spelled out, fixed key order). */
export function canonicalShapesSpec(o: ShapesOptions): string {
  const combos = o.combos === DEFAULTS.combos ? '' : `&combos=${o.combos}`;
  return `shapes:${o.domain}?n=${o.n}&seed=${o.seed}&task=${o.task}&size=${o.size}${combos}`;
}
