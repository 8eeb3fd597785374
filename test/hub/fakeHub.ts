/**
 * A loopback server on 127.0.0.1 that answers like the Hugging Face Hub: the revision API,
 * resolve URLs (302 with X-Linked-Etag / X-Linked-Size for LFS files, 200 with a git-sha1
 * ETag for regular ones), X-Error-Code on errors, Range requests, and a separate "CDN"
 * origin for LFS bytes. Faults (5xx, a cut body, corrupted bytes) are scripted per path.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One repository: files at one commit, the refs pointing at it. */
export interface FakeRepo {
  files: Record<string, Buffer>;
  /** Paths stored with LFS (default: *.onnx and *.onnx_data*). */
  lfs?: (path: string) => boolean;
  /** Needs `Authorization: Bearer <token>`. */
  gatedToken?: string;
  /** Branch and tag names (default: main). */
  refs?: string[];
  /**
   * A hostile Hub: any request outside the API and the listed resolve URLs (a `..` path the
   * client's URL parser normalised) is answered with these bytes as a regular file.
   */
  anyPath?: Buffer;
}

export interface RecordedRequest {
  method: string;
  url: string;
  origin: 'hub' | 'cdn';
  range?: string;
  authorization?: string;
}

/**
 * `endless`: the body never ends (no Content-Length), whatever size the HEAD announced; the
 * server stops by itself after `maxBytes` (default 256 MiB) or when the client goes away.
 */
type Fault = { kind: 'status'; status: number } | { kind: 'cut'; after: number } | { kind: 'corrupt' } | { kind: 'endless'; maxBytes?: number } | { kind: 'stall' };

export interface FakeHub {
  endpoint: string;
  cdn: string;
  requests: RecordedRequest[];
  /** The commit sha of a repository. */
  commit(repo: string): string;
  sha256(repo: string, path: string): string;
  /** The next `times` requests whose path ends with `suffix` get `fault`. */
  fault(suffix: string, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function gitSha1(b: Buffer): string {
  return createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
}

const defaultLfs = (p: string): boolean => /\.onnx(_data.*)?$/.test(p);

/** Servers close themselves this long after they start, even when a test forgets to. */
const LIFETIME_MS = 120_000;

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // Never keeps the test process alive, and stops by itself.
  server.unref();
  setTimeout(() => {
    server.closeAllConnections();
    server.close();
  }, LIFETIME_MS).unref();
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Serves `body` honouring a `Range: bytes=N-` header, applying a `cut` or `corrupt` fault. */
function serveBytes(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>, fault?: Fault): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  if (start >= body.length && m) {
    res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
    return;
  }
  if (fault?.kind === 'endless') return void endless(res, fault.maxBytes ?? 256 * 1024 * 1024);
  // Headers, then nothing: the client's stall timeout ends it (or the server's own lifetime).
  if (fault?.kind === 'stall') return void res.writeHead(200, { 'Content-Length': String(body.length) }).flushHeaders();
  let bytes = body.subarray(start);
  if (fault?.kind === 'corrupt') bytes = Buffer.from(bytes.map((b, i) => (i === 0 ? b ^ 0xff : b)));
  const h = { ...headers, 'Content-Length': String(bytes.length), ...(m ? { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) };
  res.writeHead(m ? 206 : 200, h);
  if (req.method === 'HEAD') return void res.end();
  if (fault?.kind === 'cut') {
    // Drop the connection a moment after the first bytes left: a client whose stream errors
    // before it read them loses them (WHATWG streams drop queued chunks on error).
    res.write(bytes.subarray(0, fault.after), () => setTimeout(() => res.socket?.destroy(), 300));
    return;
  }
  res.end(bytes);
}

/** Chunks of zeros without a Content-Length until `maxBytes` or until the client disconnects. */
function endless(res: ServerResponse, maxBytes: number): void {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  const more = (): void => {
    while (sent < maxBytes && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end();
  };
  res.on('close', () => (sent = maxBytes));
  more();
}

export async function startFakeHub(repos: Record<string, FakeRepo>): Promise<FakeHub> {
  const requests: RecordedRequest[] = [];
  const faults: Array<{ suffix: string; fault: Fault; times: number }> = [];
  const commits = new Map(Object.keys(repos).map((r) => [r, createHash('sha1').update(`commit of ${r}`).digest('hex')]));
  const takeFault = (path: string): Fault | undefined => {
    const f = faults.find((x) => x.times > 0 && path.endsWith(x.suffix));
    if (!f) return undefined;
    f.times--;
    return f.fault;
  };
  const record = (req: IncomingMessage, origin: 'hub' | 'cdn'): string => {
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', url, origin, range: req.headers.range, authorization: req.headers.authorization });
    return decodeURIComponent(new URL(url, 'http://x').pathname);
  };
  const cdnBlobs = new Map<string, Buffer>();

  const cdn = await listen((req, res) => {
    const path = record(req, 'cdn');
    const fault = takeFault(path);
    if (fault?.kind === 'status') return void res.writeHead(fault.status).end();
    const body = cdnBlobs.get(path.replace(/^\/blobs\//, ''));
    if (!body) return void res.writeHead(404).end();
    serveBytes(req, res, body, { 'Content-Type': 'application/octet-stream' }, fault);
  });

  const hub = await listen((req, res) => {
    const path = record(req, 'hub');
    const fault = takeFault(path);
    if (fault?.kind === 'status') return void res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end('Service Unavailable');
    const api = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(path);
    const resolve = /^\/(.+?\/.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const repoId = api?.[1] ?? resolve?.[1];
    const repo = repoId === undefined ? undefined : repos[repoId];
    const error = (status: number, code: string, message: string): void => void res.writeHead(status, { 'X-Error-Code': code, 'X-Error-Message': message, 'Content-Type': 'application/json' }).end(JSON.stringify({ error: message }));
    const hostile = Object.values(repos).find((r) => r.anyPath)?.anyPath;
    if (hostile && !api && !(resolve && repo?.files[resolve[3]])) return serveBytes(req, res, hostile, { ETag: `"${gitSha1(hostile)}"` });
    if (!repoId || !repo) return error(404, 'RepoNotFound', 'Repository not found');
    if (repo.gatedToken && req.headers.authorization !== `Bearer ${repo.gatedToken}`) {
      return error(401, 'GatedRepo', 'Access to model is restricted. You must have access to it and be authenticated to access it. Please log in.');
    }
    const commit = commits.get(repoId)!;
    const revision = (api?.[2] ?? resolve?.[2])!;
    if (revision !== commit && !(repo.refs ?? ['main']).includes(revision)) return error(404, 'RevisionNotFound', 'Invalid rev id');
    const common = { 'X-Repo-Commit': commit };
    if (api) {
      res.writeHead(200, { 'Content-Type': 'application/json', ...common });
      return void res.end(JSON.stringify({ _id: 'x', id: repoId, sha: commit, siblings: Object.keys(repo.files).sort().map((rfilename) => ({ rfilename })) }));
    }
    const file = resolve![3];
    const body = repo.files[file];
    if (!body) return error(404, 'EntryNotFound', 'Entry not found');
    if ((repo.lfs ?? defaultLfs)(file)) {
      const sha = sha256(body);
      cdnBlobs.set(sha, body);
      res.writeHead(302, { ...common, Location: `${cdnUrl}/blobs/${sha}`, 'X-Linked-Etag': `"${sha}"`, 'X-Linked-Size': String(body.length), ETag: `"${gitSha1(Buffer.from(`oid sha256:${sha}`))}"` });
      return void res.end();
    }
    serveBytes(req, res, body, { ...common, ETag: `"${gitSha1(body)}"`, 'Content-Type': 'application/octet-stream' }, fault);
  });
  const cdnUrl = cdn.url;

  return {
    endpoint: hub.url,
    cdn: cdn.url,
    requests,
    commit: (repo) => commits.get(repo)!,
    sha256: (repo, path) => sha256(repos[repo].files[path]),
    fault: (suffix, fault, times = 1) => void faults.push({ suffix, fault, times }),
    close: async () => {
      for (const s of [hub.server, cdn.server]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
