import type { Result } from './schema.js';

/** Lower-case, file-system-safe slug. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'x';
}

/** The key that makes a result unique within a results directory. */
export interface ResultKey {
  model: string;
  dataset: string;
  shift: { corruption: string; severity: number } | null;
  prompts: string;
  /** Item range of a partial (shard) result; absent for whole units. */
  range?: { start: number; end: number };
}

/** Base file name (no extension) of a result: `model__dataset__shift__prompts`. */
export function resultBaseName(key: ResultKey): string {
  const shift = key.shift ? `${key.shift.corruption}-${key.shift.severity}` : 'none';
  const parts = [slug(key.model), slug(key.dataset), slug(shift), slug(key.prompts)];
  if (key.range) parts.push(`items-${key.range.start}-${key.range.end}`);
  return parts.join('__');
}

export function keyOfResult(r: Result): ResultKey {
  return { model: r.model.name, dataset: r.dataset.name, shift: r.shift, prompts: r.prompts.name, range: r.range };
}
