import { open, stat, truncate, unlink } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';

/** Bytes received so far for one file; `total` when the server says. */
export interface DownloadProgress {
  url: string;
  received: number;
  total?: number;
}

/** Retry policy for 5xx answers and network errors; 4xx answers are never retried. */
export interface RetryPolicy {
  /** Total tries including the first. */
  attempts: number;
  /** Delay before retry n (0-based) in milliseconds: base * 2^n. */
  baseDelayMs: number;
  /** Injectable so tests do not wait. */
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Largest download accepted when the manifest gives no size (the WebDataset mirrors): 200 GB,
 * above ImageNet-21k's winter release (about 1.3 TB is never fetched by prepare; ILSVRC-2012
 * train is 147 GB). An endless body from a broken mirror stops here instead of filling the disk.
 */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 200e9;
/**
 * Seconds without a byte before a try is abandoned: long enough for a slow mirror under load
 * (they send something every few seconds), short enough that a stalled one costs minutes, not
 * the 300 s per try the platform default waited.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

export interface DownloadOptions {
  /** Exact size in bytes the manifest publishes for this file; a body longer than this stops there. */
  knownSize?: number | null;
  /** Where `knownSize` comes from, for messages (default `from the dataset manifest`). */
  knownSizeSource?: string;
  /**
   * How a user lengthens the stall timeout, for the stall message (default `--stall-timeout
   * raises it`, prepare's flag); commands without that flag pass their own advice.
   */
  stallAdvice?: string;
  /** Cap for files of unknown size (default DEFAULT_MAX_DOWNLOAD_BYTES; `--max-download-size`). */
  maxDownloadBytes?: number;
  /** Milliseconds without a byte (headers or body) before a try is abandoned (`--stall-timeout`). */
  stallTimeoutMs?: number;
  onProgress?: (p: DownloadProgress) => void;
  /** Called before each retry with the reason; the CLI prints it. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Extra request headers (the Hub client sends its token and `Accept-Encoding: identity`). */
  headers?: Record<string, string>;
}

/** A failure worth another try (server error, dropped connection, stall). */
class TransientError extends Error {}

/** The most bytes `url` may have, and the error to throw when it sends more. */
interface SizeLimit {
  bytes: number;
  error(seen: string): ZeroshiftError;
}

function sizeLimit(url: string, options: DownloadOptions): SizeLimit {
  const known = options.knownSize ?? undefined;
  if (known !== undefined) {
    return {
      bytes: known,
      error: (seen) =>
        new ZeroshiftError('CHECKSUM', `${url} ${seen} its published size of ${known} bytes (${options.knownSizeSource ?? 'from the dataset manifest'}); the download was stopped and the partial file removed`, {
          hint: options.knownSizeSource === undefined ? 'the mirror serves a different file; try the official URL (unset ZEROSHIFT_MIRROR / --mirror) or another mirror' : 'the server sends a different file than it announced; check HF_ENDPOINT or the proxy in between',
        }),
    };
  }
  const cap = options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  return {
    bytes: cap,
    error: (seen) =>
      new ZeroshiftError('INPUT', `${url} ${seen} the ${cap}-byte limit for downloads of unknown size (--max-download-size); the download was stopped and the partial file removed`, {
        hint: 'if the file really is that large, run again with a larger --max-download-size, e.g. --max-download-size 2TB',
      }),
  };
}

/**
 * An abort signal that fires after `ms` without a `touch()` (each byte received touches it),
 * joined with the caller's signal. `stalled` tells a stall from the caller's abort.
 */
function stallWatch(ms: number, outer: AbortSignal | undefined): { signal: AbortSignal; touch: () => void; stalled: () => boolean; stop: () => void } {
  const ctl = new AbortController();
  let timer = setTimeout(() => ctl.abort(), ms);
  return {
    signal: outer ? AbortSignal.any([outer, ctl.signal]) : ctl.signal,
    touch: () => {
      clearTimeout(timer);
      timer = setTimeout(() => ctl.abort(), ms);
    },
    stalled: () => ctl.signal.aborted && !outer?.aborted,
    stop: () => clearTimeout(timer),
  };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Where a 206 answer starts, from `Content-Range: bytes START-END/TOTAL`. */
function rangeStart(header: string | null): number | undefined {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  return m ? Number(m[1]) : undefined;
}

async function requestOnce(url: string, partPath: string, options: DownloadOptions): Promise<void> {
  const limit = sizeLimit(url, options);
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const watch = stallWatch(stallMs, options.signal);
  const stallError = (after = ''): TransientError =>
    new TransientError(`${url} sent nothing for ${stallMs / 1000} s${after} (stall timeout; ${options.stallAdvice ?? '--stall-timeout raises it'})`);
  let have = await sizeOf(partPath);
  // A .part longer than the file can be (left by a broken mirror) cannot be resumed.
  if (have > limit.bytes) {
    await truncate(partPath, 0);
    have = 0;
  }
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers: { ...options.headers, ...(have > 0 ? { Range: `bytes=${have}-` } : {}) }, signal: watch.signal });
    } catch (e) {
      if (watch.stalled()) throw stallError();
      if (options.signal?.aborted) throw e;
      throw new TransientError(`cannot connect to ${url}: ${(e as Error).message}`);
    }
    watch.touch();
    // 416: the .part already holds the whole file; the checksum decides whether it is right.
    if (res.status === 416 && have > 0) return void (await res.body?.cancel());
    if (res.status >= 500 || res.status === 429) {
      await res.body?.cancel();
      throw new TransientError(`${url} answered HTTP ${res.status}`);
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new ZeroshiftError('NETWORK', `download of ${url} failed: HTTP ${res.status} ${res.statusText}`.trim(), {
        hint: res.status === 404 ? 'the file moved or the mirror lacks it; check the URL or set ZEROSHIFT_MIRROR' : undefined,
      });
    }
    // A 200 (server ignores Range) or a 206 starting elsewhere means starting over from byte 0.
    const resume = res.status === 206 && rangeStart(res.headers.get('content-range')) === have;
    if (!resume) await truncate(partPath, 0).catch(() => undefined);
    const start = resume ? have : 0;
    const length = Number(res.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(length) ? start + length : undefined;
    if (total !== undefined && total > limit.bytes) {
      await res.body?.cancel();
      await unlink(partPath).catch(() => undefined);
      throw limit.error(`announces ${total} bytes (Content-Length), over`);
    }
    await streamBody(res, partPath, { start, total, url, limit, touch: watch.touch, stalled: (n) => (watch.stalled() ? stallError(` after ${n} bytes`) : null) }, options);
  } catch (e) {
    if (e instanceof TransientError || e instanceof ZeroshiftError) throw e;
    if (watch.stalled()) throw stallError();
    throw e;
  } finally {
    watch.stop();
  }
}

interface BodyContext {
  start: number;
  total: number | undefined;
  url: string;
  limit: SizeLimit;
  touch: () => void;
  /** The stall error when the body stopped because nothing came for the stall timeout. */
  stalled: (received: number) => TransientError | null;
}

async function streamBody(res: Response, partPath: string, b: BodyContext, options: DownloadOptions): Promise<void> {
  const { url, total, limit } = b;
  if (res.body === null) throw new TransientError(`${url} sent no body`);
  let received = b.start;
  let over = false;
  // Each chunk is written before the next is read, so a broken connection keeps every byte
  // received so far in the .part file for the next Range request.
  const fh = await open(partPath, b.start > 0 ? 'a' : 'w');
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      b.touch();
      // Never more than the limit reaches the disk: an endless body wrote 15 GB in 60 s.
      if (received + chunk.length > limit.bytes) {
        over = true;
        break;
      }
      await fh.write(chunk);
      received += chunk.length;
      options.onProgress?.({ url, received, total });
    }
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw b.stalled(received) ?? new TransientError(`connection to ${url} broke after ${received} bytes: ${(e as Error).message}`);
  } finally {
    await fh.close();
  }
  if (over) {
    await res.body.cancel().catch(() => undefined);
    await unlink(partPath).catch(() => undefined);
    throw limit.error('sent more than');
  }
  if (total !== undefined && received !== total) {
    throw new TransientError(`${url} ended after ${received} of ${total} bytes`);
  }
}

/**
 * Downloads `url` into `partPath`, resuming from the bytes already there with an HTTP Range
 * request (a 206 appends; a 200 restarts from 0). Retries server errors and broken
 * connections with exponential backoff, up to `retry.attempts` tries; throws a NETWORK error
 * naming the URL on a 4xx answer or when the tries run out. A try that receives nothing for
 * `stallTimeoutMs` counts as broken. No more than `knownSize` (else `maxDownloadBytes`) bytes
 * are written: a longer body stops the download, removes the `.part` and throws (CHECKSUM for a
 * published size, INPUT for the cap). The caller verifies the checksum.
 */
export async function downloadResumable(url: string, partPath: string, options: DownloadOptions = {}): Promise<void> {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  for (let attempt = 0; ; attempt++) {
    try {
      await requestOnce(url, partPath, options);
      return;
    } catch (e) {
      if (!(e instanceof TransientError)) throw e;
      if (attempt + 1 >= policy.attempts) {
        throw new ZeroshiftError('NETWORK', `download of ${url} failed after ${policy.attempts} tries: ${e.message}`, {
          hint: 'run the same prepare command again later to resume; the partial file is kept',
        });
      }
      const delay = policy.baseDelayMs * 2 ** attempt;
      options.onRetry?.(attempt + 1, delay, e.message);
      await policy.sleep(delay);
    }
  }
}
