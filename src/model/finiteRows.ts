import { ZeroshiftError } from '../errors.js';

function rowIsFinite(data: ArrayLike<number>, i: number, d: number): boolean {
  for (let j = 0; j < d; j++) if (!Number.isFinite(data[i * d + j])) return false;
  return true;
}

/**
 * Index of the first row of a row-major (N, D) matrix that holds NaN or ±Inf, or -1 when all
 * are finite. A tower that outputs one (a zero image_std divides by zero; a broken export) would
 * otherwise be scored: NaN cosines compare false, so the arg-max falls on class 0.
 */
export function firstNonFiniteRow(data: ArrayLike<number>, n: number, d: number): number {
  for (let i = 0; i < n; i++) if (!rowIsFinite(data, i, d)) return i;
  return -1;
}

/** What a tower check needs to name the output it refuses. */
export interface TowerOutputContext {
  tower: 'text' | 'vision';
  /** The graph file. */
  path: string;
  /** The batch item of row `i` (an image id or path, a quoted text); absent names the row. */
  itemOf?: (i: number) => string | undefined;
  hint?: string;
}

/**
 * Throws when any row of the (N, D) tower output `data` is not finite, naming the tower, its
 * graph, the first such item and how many of the batch are affected.
 * @throws ZeroshiftError('MODEL') (exit 2)
 */
export function assertFiniteRows(data: ArrayLike<number>, n: number, d: number, ctx: TowerOutputContext): void {
  const row = firstNonFiniteRow(data, n, d);
  if (row < 0) return;
  let bad = 0;
  for (let i = row; i < n; i++) if (!rowIsFinite(data, i, d)) bad++;
  const item = ctx.itemOf?.(row) ?? `row ${row} of the batch`;
  throw new ZeroshiftError('MODEL', `${ctx.path}: the ${ctx.tower} tower's output for ${item} holds NaN or Inf (${bad} of ${n} item(s) in its batch); nothing is scored from it`, {
    hint: ctx.hint ?? 'check the export with zeroshift verify, which runs both towers on a probe input',
  });
}
