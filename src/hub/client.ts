/**
 * The few Hub HTTP calls zeroshift makes: the revision API (commit sha and file list) and a
 * HEAD on a resolve URL (blob name, size, download location), with huggingface_hub's error
 * semantics (X-Error-Code) and retries with backoff on 5xx, 429 and dropped connections.
 */
import { ZeroshiftError } from '../errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../prepare/download.js';
import type { HubConfig } from './config.js';

/** What the revision API says about one revision. */
export interface RevisionInfo {
  /** The commit sha the revision points at. */
  sha: string;
  /** Every file of the repository at that commit ('/'-separated paths). */
  siblings: string[];
}

/** Where and what one file is, from a HEAD on its resolve URL. */
export interface FileMeta {
  /** Blob name: the sha256 for LFS files (X-Linked-Etag), the git-sha1 for regular files (ETag). */
  etag: string;
  size: number;
  /** True for LFS files (answered with a redirect and X-Linked-* headers). */
  lfs: boolean;
  /** URL to GET the bytes from (the redirect target for LFS files). */
  url: string;
}

/** A failure worth another try (HTTP 5xx/429, a dropped or refused connection, a timeout). */
export class HubTransientError extends Error {}

/** Options of one client. */
export interface HubClientOptions {
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Per-request timeout for metadata calls (downloads have none). */
  timeoutMs?: number;
}

const USER_AGENT = 'zeroshift (huggingface_hub cache layout)';

/** huggingface_hub's _normalize_etag: drop a weak `W/` prefix and the quotes. */
export function normalizeEtag(etag: string | null): string | undefined {
  if (etag === null) return undefined;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Percent-encodes each segment of a repository path, keeping the slashes. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export class HubClient {
  private readonly policy: RetryPolicy;

  constructor(private readonly config: HubConfig, private readonly options: HubClientOptions = {}) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Headers for a request to `url`: the token only ever goes to the endpoint's own origin. */
  headersFor(url: string): Record<string, string> {
    const h: Record<string, string> = { 'User-Agent': USER_AGENT, 'Accept-Encoding': 'identity' };
    if (this.config.token && new URL(url).origin === new URL(this.config.endpoint).origin) h.Authorization = `Bearer ${this.config.token}`;
    return h;
  }

  resolveUrl(repo: string, revision: string, path: string): string {
    return `${this.config.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodePath(path)}`;
  }

  /** `GET /api/models/REPO/revision/REV`: the commit sha and the file list. */
  async revision(repo: string, revision: string, attempts?: number): Promise<RevisionInfo> {
    const url = `${this.config.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
    const res = await this.withRetry(() => this.request(url, 'GET'), attempts);
    if (!res.ok) throw await hubHttpError(res, { repo, revision, token: this.config.token !== undefined });
    let body: { sha?: unknown; siblings?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch (e) {
      throw new ZeroshiftError('NETWORK', `${url}: the revision API answered something that is not JSON (${(e as Error).message})`);
    }
    if (typeof body.sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.sha) || !Array.isArray(body.siblings)) {
      throw new ZeroshiftError('NETWORK', `${url}: the revision API answer has no commit 'sha' or no 'siblings' list; is HF_ENDPOINT (${this.config.endpoint}) a Hugging Face Hub?`);
    }
    const siblings = body.siblings.map((s: unknown) => (s as { rfilename?: unknown }).rfilename).filter((f): f is string => typeof f === 'string');
    return { sha: body.sha, siblings };
  }

  /**
   * HEAD on the resolve URL of `path` at `commit`, following same-origin redirects (renamed
   * repositories) but not the LFS redirect, whose X-Linked-Etag / X-Linked-Size describe the blob.
   */
  async fileMeta(repo: string, commit: string, path: string): Promise<FileMeta> {
    let url = this.resolveUrl(repo, commit, path);
    for (let hops = 0; hops < 5; hops++) {
      const res = await this.withRetry(() => this.request(url, 'HEAD'));
      const linkedEtag = normalizeEtag(res.headers.get('x-linked-etag'));
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, url).toString();
        if (linkedEtag === undefined && new URL(next).origin === new URL(url).origin) {
          url = next;
          continue;
        }
        return { etag: requireEtag(linkedEtag, url, 'X-Linked-Etag'), size: requireSize(res.headers.get('x-linked-size'), url), lfs: linkedEtag !== undefined, url: next };
      }
      if (!res.ok) throw await hubHttpError(res, { repo, revision: commit, path, token: this.config.token !== undefined });
      const etag = linkedEtag ?? normalizeEtag(res.headers.get('etag'));
      const size = res.headers.get('x-linked-size') ?? res.headers.get('content-length');
      return { etag: requireEtag(etag, url, 'ETag'), size: requireSize(size, url), lfs: linkedEtag !== undefined, url };
    }
    throw new ZeroshiftError('NETWORK', `${this.resolveUrl(repo, commit, path)}: too many redirects`);
  }

  private async request(url: string, method: 'GET' | 'HEAD'): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, { method, headers: this.headersFor(url), redirect: 'manual', signal });
    } catch (e) {
      if (this.options.signal?.aborted) throw e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new HubTransientError(`cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
    if (res.status >= 500 || res.status === 429) {
      await res.body?.cancel();
      throw new HubTransientError(`${url} answered HTTP ${res.status}`);
    }
    return res;
  }

  private async withRetry(call: () => Promise<Response>, attempts = this.policy.attempts): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof HubTransientError) || attempt + 1 >= attempts) throw e;
        const delay = this.policy.baseDelayMs * 2 ** attempt;
        this.options.onRetry?.(attempt + 1, delay, e.message);
        await this.policy.sleep(delay);
      }
    }
  }
}

function requireEtag(etag: string | undefined, url: string, header: string): string {
  if (etag === undefined || !/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(etag)) {
    throw new ZeroshiftError('NETWORK', `${url}: the answer has no usable ${header} (expected a git-sha1 or sha256, found ${etag === undefined ? 'none' : `'${etag}'`}), so the file cannot be verified`);
  }
  return etag;
}

function requireSize(value: string | null, url: string): number {
  const n = Number(value);
  if (value === null || !Number.isSafeInteger(n) || n < 0) throw new ZeroshiftError('NETWORK', `${url}: the answer gives no file size (X-Linked-Size or Content-Length)`);
  return n;
}

interface ErrorContext {
  repo: string;
  revision: string;
  path?: string;
  token: boolean;
}

/**
 * Turns a Hub error answer into one line saying what is wrong and what to do, keyed on
 * X-Error-Code as huggingface_hub's hf_raise_for_status is. Never includes the token.
 */
export async function hubHttpError(res: Response, c: ErrorContext): Promise<ZeroshiftError> {
  await res.body?.cancel().catch(() => undefined);
  const code = res.headers.get('x-error-code');
  const at = `hf:${c.repo}@${c.revision}`;
  if (code === 'GatedRepo' || ((res.status === 401 || res.status === 403) && code !== 'RepoNotFound')) {
    return new ZeroshiftError('MODEL', `${at}: the repository is gated or private (HTTP ${res.status})`, {
      hint: c.token
        ? 'HF_TOKEN is set but has no access: accept the model\'s terms on its Hub page with that account, or use a token with read access'
        : 'accept the model\'s terms on its Hub page, then set HF_TOKEN to a read token (https://huggingface.co/settings/tokens)',
    });
  }
  if (code === 'RevisionNotFound') return new ZeroshiftError('MODEL', `${at}: revision '${c.revision}' not found (HTTP ${res.status})`, { hint: 'use a branch, tag or commit sha of the repository' });
  if (code === 'EntryNotFound' && c.path) return new ZeroshiftError('MODEL', `${at}: file '${c.path}' not found in the repository (HTTP ${res.status})`);
  if (code === 'RepoNotFound' || res.status === 404) {
    return new ZeroshiftError('MODEL', `hf:${c.repo}: repository not found (HTTP ${res.status})`, {
      hint: 'check the name (hf:ORG/NAME, as on the Hub page); private repositories need HF_TOKEN',
    });
  }
  return new ZeroshiftError('NETWORK', `${at}${c.path ? ` ${c.path}` : ''}: the Hub answered HTTP ${res.status} ${res.statusText}`.trim());
}
