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

  /** 2 for bad usage or input, 1 for everything else (documented in the README). */
  get exitCode(): number {
    return USER_ERRORS.has(this.code) ? 2 : 1;
  }
}

/** True when `e` is a ZeroshiftError (also across module copies). */
export function isZeroshiftError(e: unknown): e is ZeroshiftError {
  return e instanceof ZeroshiftError || (e instanceof Error && e.name === 'ZeroshiftError' && 'code' in e);
}

/**
 * "unknown X 'y'; known: a, b, c" — the shared wording for registry lookups so every
 * unknown id lists the valid choices.
 */
export function unknownIdError(kind: string, id: string, known: readonly string[], code: ErrorCode = 'USAGE'): ZeroshiftError {
  return new ZeroshiftError(code, `unknown ${kind} '${id}'; known: ${[...known].sort().join(', ')}`);
}
