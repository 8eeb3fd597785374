import { boundedFileBase } from '../util/fileName.js';
import type { Result } from './schema.js';

/** Lower-case, file-system-safe slug. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'x';
}

/** Characters of the result id in a file name: 48 bits, so distinct identities in one directory do not collide in practice. */
export const SHORT_ID_LENGTH = 12;

/** What a result file name is made of: a readable part and the identity. */
export interface ResultKey {
  model: string;
  /** The model's dtype: in the name unless fp32, so fp32 and q8 results of one model are told apart. */
  dtype?: string;
  /** The execution provider: in the name unless cpu (absent), as the dtype. */
  executionProvider?: string;
  dataset: string;
  shift: { corruption: string; severity: number } | null;
  /** The text shift, in the name after the image shift (`text-typo-3`); absent = none (names as before). */
  textShift?: { name: string; severity: number };
  prompts: string;
  /** Item range of a partial (shard) result; absent for whole units. */
  range?: { start: number; end: number };
  /** The result id: a hash of everything that determines the numbers. */
  id: string;
}

/**
 * Base file name (no extension) of a result: a readable prefix
 * `model[-dtype][-provider]__dataset__shift[__text-NAME-S]__prompts[__items-a-b]` and the short result id. Two results share a
 * name only when they share an identity, so a run never overwrites a result of another
 * identity (two folders both named `test`, the same dataset at another `n`).
 */
export function resultBaseName(key: ResultKey): string {
  // Long names are shortened (with a hash) so the file name always fits: see util/fileName.ts.
  return `${boundedFileBase(readablePrefix(key))}__${slug(key.id).slice(0, SHORT_ID_LENGTH)}`;
}

/** The name-only file name results had before identities were part of it (read for migration). */
export function legacyBaseName(key: Omit<ResultKey, 'id'>): string {
  return readablePrefix({ ...key, dtype: undefined, executionProvider: undefined });
}

/** A model as file names carry it: `name`, then `-dtype` unless fp32 and `-provider` unless cpu (`m-q8-cuda`). */
export function modelFilePart(m: { name: string; dtype?: string; executionProvider?: string }): string {
  const tags = [m.dtype && m.dtype !== 'fp32' ? m.dtype : null, m.executionProvider && m.executionProvider !== 'cpu' ? m.executionProvider : null];
  return [m.name, ...tags.filter((t) => t !== null)].join('-');
}

function readablePrefix(key: Omit<ResultKey, 'id'>): string {
  const shift = key.shift ? `${key.shift.corruption}-${key.shift.severity}` : 'none';
  const model = modelFilePart({ name: key.model, dtype: key.dtype, executionProvider: key.executionProvider });
  const parts = [slug(model), slug(key.dataset), slug(shift), ...(key.textShift ? [slug(`text-${key.textShift.name}-${key.textShift.severity}`)] : []), slug(key.prompts)];
  if (key.range) parts.push(`items-${key.range.start}-${key.range.end}`);
  return parts.join('__');
}

export function keyOfResult(r: Result): ResultKey {
  return { model: r.model.name, dtype: r.model.dtype, executionProvider: r.model.executionProvider, dataset: r.dataset.name, shift: r.shift, textShift: r.textShift, prompts: r.prompts.name, range: r.range, id: r.id };
}

/** The identity of the whole unit a result belongs to (a shard part's `range.unitId`, else its id). */
export function unitIdentity(r: Result): string {
  return r.range?.unitId ?? r.id;
}
