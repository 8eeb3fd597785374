import { open, stat, truncate } from 'node:fs/promises';
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

export interface DownloadOptions {
  onProgress?: (p: DownloadProgress) => void;
  /** Called before each retry with the reason; the CLI prints it. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Extra request headers (the Hub client sends its token and `Accept-Encoding: identity`). */
  headers?: Record<string, string>;
}

/** A failure worth another try (server error, dropped connection). */
class TransientError extends Error {}

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
  const have = await sizeOf(partPath);
  let res: Response;
  try {
    res = await fetch(url, { headers: { ...options.headers, ...(have > 0 ? { Range: `bytes=${have}-` } : {}) }, signal: options.signal });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new TransientError(`cannot connect to ${url}: ${(e as Error).message}`);
  }
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
  await streamBody(res, partPath, start, Number.isFinite(length) ? start + length : undefined, url, options);
}

async function streamBody(res: Response, partPath: string, start: number, total: number | undefined, url: string, options: DownloadOptions): Promise<void> {
  if (res.body === null) throw new TransientError(`${url} sent no body`);
  let received = start;
  // Each chunk is written before the next is read, so a broken connection keeps every byte
  // received so far in the .part file for the next Range request.
  const fh = await open(partPath, start > 0 ? 'a' : 'w');
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await fh.write(chunk);
      received += chunk.length;
      options.onProgress?.({ url, received, total });
    }
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new TransientError(`connection to ${url} broke after ${received} bytes: ${(e as Error).message}`);
  } finally {
    await fh.close();
  }
  if (total !== undefined && received !== total) {
    throw new TransientError(`${url} ended after ${received} of ${total} bytes`);
  }
}

/**
 * Downloads `url` into `partPath`, resuming from the bytes already there with an HTTP Range
 * request (a 206 appends; a 200 restarts from 0). Retries server errors and broken
 * connections with exponential backoff, up to `retry.attempts` tries; throws a NETWORK error
 * naming the URL on a 4xx answer or when the tries run out. The caller verifies the checksum.
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
