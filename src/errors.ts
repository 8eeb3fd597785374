import { closest } from './util/suggest.js';

/**
 * Typed errors. Library code throws these; only the CLI entry point catches them,
 * prints one line and maps `exitCode` to the process exit code.
 */

/** Error codes: the prefix says which layer found the problem. */
export type ErrorCode =
  | 'USAGE' // bad command line: unknown command/flag, missing argument
  | 'INPUT' // a user-supplied file or value is missing or malformed
  | 'MODEL' // a model directory/spec is incomplete or inconsistent
  | 'DATASET' // a dataset is missing, malformed or disagrees with itself
  | 'CONFIG' // a suite, prompt set or other JSON config fails validation
  | 'IMAGE' // an image cannot be decoded (per-item: usually skipped, not thrown)
  | 'CACHE' // the embedding cache is unusable
  | 'NETWORK' // a download failed
  | 'CHECKSUM' // a download does not match its published checksum
  | 'MERGE' // shard outputs cannot be merged
  | 'INTERRUPTED' // the run was stopped by a signal
  | 'INTERNAL'; // a bug: should never happen

const USER_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'USAGE', 'INPUT', 'MODEL', 'DATASET', 'CONFIG', 'IMAGE', 'CHECKSUM', 'MERGE',
]);

export class ZeroshiftError extends Error {
  readonly code: ErrorCode;
  /** Optional hint telling the user what to do next. */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZeroshiftError';
    this.code = code;
    this.hint = options?.hint;
  }

  /** 2 for bad usage or input, 130 for a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it), 1 for everything else (documented in the README). */
  get exitCode(): number {
    if (this.code === 'INTERRUPTED') return 130;
    return USER_ERRORS.has(this.code) ? 2 : 1;
  }
}

/** True when `e` is a ZeroshiftError (also across module copies). */
export function isZeroshiftError(e: unknown): e is ZeroshiftError {
  return e instanceof ZeroshiftError || (e instanceof Error && e.name === 'ZeroshiftError' && 'code' in e);
}

/** Ids listed in full up to this many; longer lists show the first ones and the count. */
const LIST_MAX = 12;

/** `a, b, c`, or `a, b, … (70 in all)` for long lists. */
export function shortIdList(ids: readonly string[]): string {
  const sorted = [...ids].sort();
  return sorted.length <= LIST_MAX ? sorted.join(', ') : `${sorted.slice(0, LIST_MAX).join(', ')}, … (${sorted.length} in all)`;
}

/** `; did you mean 'x'?` for the nearest id within a small edit distance, else ''. */
export function didYouMean(id: string, known: readonly string[]): string {
  const near = closest(id, known);
  return near ? `; did you mean '${near}'?` : '';
}

/**
 * "unknown X 'y'; did you mean 'z'?; known: a, b, c" — the shared wording for registry lookups
 * so every unknown id names the nearest valid one and lists the choices (shortened when long).
 */
export function unknownIdError(kind: string, id: string, known: readonly string[], code: ErrorCode = 'USAGE'): ZeroshiftError {
  return new ZeroshiftError(code, `unknown ${kind} '${id}'${didYouMean(id, known)}; known: ${shortIdList(known)}`);
}
