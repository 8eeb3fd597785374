/**
 * Builders for small archives in the publishers' real on-disk formats, and a loopback HTTP
 * server that serves them with Range support and scripted failures. Exported for reuse by
 * end-to-end tests (eval --data-dir) as well as the prepare tests.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { createRng } from '../../src/util/rng.js';
import type { Manifest } from '../../src/prepare/manifestSchema.js';

export interface TarEntrySpec {
  name: string;
  data?: Uint8Array | string;
  type?: 'file' | 'dir' | 'symlink' | 'link';
  linkname?: string;
}

const TYPE_FLAG = { file: '0', link: '1', symlink: '2', dir: '5' } as const;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One 512-byte ustar header; names are written verbatim (even unsafe ones) for tests. */
function tarHeader(entry: TarEntrySpec, size: number): Buffer {
  const h = Buffer.alloc(512);
  const type = entry.type ?? 'file';
  h.write(entry.name, 0, 100, 'utf8');
  h.write(octal(type === 'dir' ? 0o755 : 0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(1_700_000_000, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(TYPE_FLAG[type], 156, 'ascii');
  if (entry.linkname) h.write(entry.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** A POSIX ustar archive of the given entries (uncompressed). */
export function buildTar(entries: TarEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' || e.type === undefined ? Buffer.from(e.data ?? '') : Buffer.alloc(0);
    parts.push(tarHeader(e, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const buildTarGz = (entries: TarEntrySpec[]): Buffer => gzipSync(buildTar(entries));

/** CIFAR-10 binary records: 1 label byte + 3072 pixel bytes (R plane, G plane, B plane). */
export function cifarBinaryRecords(count: number, seed: number): Buffer {
  const rng = createRng(seed);
  const buf = Buffer.alloc(count * 3073);
  for (let i = 0; i < count; i++) {
    buf[i * 3073] = rng.int(0, 9);
    for (let j = 1; j < 3073; j++) buf[i * 3073 + j] = rng.int(0, 255);
  }
  return buf;
}

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** cifar-10-binary.tar.gz as published: cifar-10-batches-bin/{test_batch.bin,batches.meta.txt,...}. */
export function buildCifar10Archive(records = 5, seed = 1): Buffer {
  return buildTarGz([
    { name: 'cifar-10-batches-bin/', type: 'dir' },
    { name: 'cifar-10-batches-bin/batches.meta.txt', data: `${CIFAR10_CLASSES.join('\n')}\n\n` },
    { name: 'cifar-10-batches-bin/test_batch.bin', data: cifarBinaryRecords(records, seed) },
    { name: 'cifar-10-batches-bin/readme.html', data: '<meta HTTP-EQUIV="REFRESH" content="0; url=http://www.cs.toronto.edu/~kriz/cifar.html">\n' },
  ]);
}

/** A NumPy .npy (format 1.0) of uint8 or int64 little-endian data with a C-order shape. */
export function buildNpy(dtype: '|u1' | '<i8', shape: number[], values: ArrayLike<number>): Buffer {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = dtype === '|u1' ? Buffer.from(Uint8Array.from(values)) : Buffer.from(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

/** Random uint8 images (N, 32, 32, 3) as .npy, the CIFAR-10.1 / CIFAR-10-C data layout. */
export function imagesNpy(count: number, seed: number): Buffer {
  const rng = createRng(seed);
  return buildNpy('|u1', [count, 32, 32, 3], Array.from({ length: count * 3072 }, () => rng.int(0, 255)));
}

export const labelsNpy = (labels: number[]): Buffer => buildNpy('<i8', [labels.length], labels);

/** CIFAR-10-C.tar as published: CIFAR-10-C/<corruption>.npy (5 severities stacked) + labels.npy. */
export function buildCifar10CArchive(perSeverity = 2, corruptions = ['gaussian_noise', 'brightness'], seed = 3): Buffer {
  const labels = Array.from({ length: perSeverity * 5 }, (_, i) => i % 10);
  return buildTar([
    { name: 'CIFAR-10-C/', type: 'dir' },
    { name: 'CIFAR-10-C/labels.npy', data: labelsNpy(labels) },
    ...corruptions.map((c, i) => ({ name: `CIFAR-10-C/${c}.npy`, data: imagesNpy(perSeverity * 5, seed + i) })),
  ]);
}

/** MNIST IDX files, gzipped as published: t10k-images-idx3-ubyte.gz (N,28,28) and labels (N). */
export function buildMnistGz(count: number, seed: number): { images: Buffer; labels: Buffer } {
  const rng = createRng(seed);
  const img = Buffer.alloc(16 + count * 784);
  img.writeUInt32BE(0x00000803, 0);
  img.writeUInt32BE(count, 4);
  img.writeUInt32BE(28, 8);
  img.writeUInt32BE(28, 12);
  for (let i = 16; i < img.length; i++) img[i] = rng.int(0, 255);
  const lab = Buffer.alloc(8 + count);
  lab.writeUInt32BE(0x00000801, 0);
  lab.writeUInt32BE(count, 4);
  for (let i = 8; i < lab.length; i++) lab[i] = rng.int(0, 9);
  return { images: gzipSync(img), labels: gzipSync(lab) };
}

export const md5Hex = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** What the loopback server does with one request to a path. */
export type Behaviour =
  | { kind: 'serve' }
  | { kind: 'status'; status: number }
  /** Sends the headers for the whole file, then `bytes` of the body, then closes the socket. */
  | { kind: 'cut'; bytes: number }
  /** A broken mirror: a chunked body of `fill` bytes that never ends (until the client hangs up). */
  | { kind: 'endless' }
  /** Sends the headers for the whole file and `bytes` of the body, then nothing, keeping the socket open. */
  | { kind: 'stall'; bytes: number }
  /** Accepts the request and never answers (not even headers). */
  | { kind: 'hang' }
  /** Calls `arrived`, then serves the file once `release` resolves (to hold a download mid-way). */
  | { kind: 'gate'; arrived: () => void; release: Promise<void> };

export interface LoopbackServer {
  baseUrl: string;
  /** Every request seen: path and Range header. */
  requests: { path: string; range?: string }[];
  /** Per path, behaviours consumed one per request; `serve` once the queue is empty. */
  script: Map<string, Behaviour[]>;
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

function serveFile(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  if (m && start >= body.length) {
    res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
    return;
  }
  const headers: Record<string, string | number> = { 'Content-Length': body.length - start, 'Accept-Ranges': 'bytes' };
  if (m) headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  res.writeHead(m ? 206 : 200, headers).end(body.subarray(start));
}

function handle(server: LoopbackServer, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  server.requests.push({ path, range: req.headers.range });
  const body = server.files.get(path);
  const next = server.script.get(path)?.shift() ?? { kind: 'serve' };
  if (next.kind === 'status') return void res.writeHead(next.status).end(`status ${next.status}`);
  if (body === undefined) return void res.writeHead(404).end('not found');
  if (next.kind === 'hang') return;
  if (next.kind === 'gate') {
    next.arrived();
    void next.release.then(() => serveFile(req, res, body));
    return;
  }
  if (next.kind === 'endless') return endless(res);
  if (next.kind === 'stall') {
    res.writeHead(200, { 'Content-Length': body.length });
    res.write(body.subarray(0, next.bytes));
    return;
  }
  if (next.kind === 'cut') {
    res.writeHead(200, { 'Content-Length': body.length });
    // fetch drops chunks still queued when its body stream errors, so the close waits until
    // the client has surely read the bytes; a real cut loses at most the chunk in flight.
    res.write(body.subarray(0, next.bytes), () => setTimeout(() => res.socket?.end(), 150));
    return;
  }
  serveFile(req, res, body);
}

/** Writes 64 KiB chunks, respecting back-pressure, until the client closes the connection. */
function endless(res: ServerResponse): void {
  const chunk = Buffer.alloc(1 << 16, 0x61);
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  let open = true;
  res.on('close', () => (open = false));
  const pump = (): void => {
    while (open && res.write(chunk));
    if (open) res.once('drain', pump);
  };
  pump();
}

/** Starts an HTTP server on 127.0.0.1, port 0, serving `files` (path → bytes). */
export async function startLoopbackServer(files: Record<string, Buffer>): Promise<LoopbackServer> {
  const state = { requests: [], script: new Map(), files: new Map(Object.entries(files)) } as unknown as LoopbackServer;
  const server: Server = createServer((req, res) => handle(state, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** The published files of the CIFAR-10 robustness suite plus MNIST, in miniature. */
export function cifarSuiteFiles(): Record<string, Buffer> {
  const mnist = buildMnistGz(4, 7);
  return {
    '/cifar10/cifar-10-binary.tar.gz': buildCifar10Archive(5, 1),
    '/cifar10.1/cifar10.1_v6_data.npy': imagesNpy(4, 2),
    '/cifar10.1/cifar10.1_v6_labels.npy': labelsNpy([3, 1, 4, 1]),
    '/cifar10-c/CIFAR-10-C.tar': buildCifar10CArchive(2),
    '/mnist/t10k-images-idx3-ubyte.gz': mnist.images,
    '/mnist/t10k-labels-idx1-ubyte.gz': mnist.labels,
  };
}

/**
 * A manifest whose download entries point at `baseUrl` with the real md5s of `files`
 * (paths `/<datasetId>/<fileName>`), keeping everything else from `template`.
 */
export function loopbackManifest(template: Manifest, baseUrl: string, files: Record<string, Buffer>): Manifest {
  const m = structuredClone(template);
  for (const d of m.datasets) {
    if (d.kind !== 'download') continue;
    for (const f of d.files) {
      const body = files[`/${d.id}/${f.fileName}`];
      f.url = `${baseUrl}/${d.id}/${f.fileName}`;
      f.size = body ? body.length : f.size;
      f.checksum = body ? { algorithm: 'md5', value: md5Hex(body), source: 'test fixture' } : f.checksum;
    }
  }
  return m;
}

/** A zip (PKWARE APPNOTE layout, no ZIP64) of files; `deflate` compresses with raw deflate. */
export function buildZip(entries: { name: string; data?: string | Buffer; deflate?: boolean; unixMode?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    const stored = e.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.unixMode ?? (e.name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += 30 + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
