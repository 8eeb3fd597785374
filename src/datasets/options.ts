import { ZeroshiftError } from '../errors.js';
import type { DatasetSpec } from './types.js';

/** Throws when the spec carries an option the adapter does not know, listing the valid keys. */
export function checkOptions(spec: DatasetSpec, allowed: Record<string, string>): void {
  const valid = Object.keys(allowed);
  for (const key of Object.keys(spec.options)) {
    if (!valid.includes(key)) {
      const list = valid.length ? valid.sort().join(', ') : '(none)';
      throw new ZeroshiftError('USAGE', `adapter '${spec.adapter}' has no option '${key}'; valid options: ${list}`);
    }
  }
}

/** The value of an enumerated option, or `fallback` when absent; other values list the choices. */
export function enumOption<T extends string>(spec: DatasetSpec, key: string, choices: readonly T[], fallback: T): T {
  const value = spec.options[key];
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new ZeroshiftError('USAGE', `adapter '${spec.adapter}': ${key}=${value} is not one of ${choices.join(', ')}`);
  }
  return value as T;
}

/** An integer option within [min, max], or `fallback` when absent. */
export function intOption(spec: DatasetSpec, key: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const value = spec.options[key];
  if (value === undefined) return fallback;
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ZeroshiftError('USAGE', `adapter '${spec.adapter}': ${key}=${value} is not an integer in [${min}, ${max}]`);
  }
  return n;
}

/** Throws an INPUT error when the spec has no path argument. */
export function requireArg(spec: DatasetSpec, what: string): string {
  if (spec.arg === '') throw new ZeroshiftError('USAGE', `adapter '${spec.adapter}' needs ${what}, e.g. ${spec.adapter}:/data/dir`);
  return spec.arg;
}
