import { open, readdir, readFile, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ZeroshiftError } from '../errors.js';
import { KEY_BYTES, PACK_MAGIC, PackWriter, lostEntries, scanPacks, type PackScan } from './packFile.js';
import { classifierDamage } from './classifierCache.js';
import { CACHE_DIRS, NAMESPACE_DIRS, layoutProblems, type LayoutProblem } from './layout.js';

/** What `zeroshift cache verify` found in one image namespace. */
export interface NamespaceReport {
  dir: string;
  packs: number;
  /** Valid records (embeddings a run can read). */
  records: number;
  /** Record slots that fail their checksum or sit in a pack with a damaged header. */
  damaged: number;
  /** Distinct images among the damaged records that no valid record holds (a run embeds them again). */
  lost: number;
  tornBytes: number;
  /** `*.pack` entries that are not regular files. */
  notPacks: string[];
  /** Payload bytes per record (4 × embedding width), inferred from the packs; null when no pack holds a valid record. */
  payloadBytes: number | null;
  /** Packs needing a rewrite: damaged records or a torn tail. */
  dirtyPacks: string[];
}

export interface CacheReport {
  root: string;
  exists: boolean;
  layout: LayoutProblem[];
  namespaces: NamespaceReport[];
  classifiers: { files: number; damaged: { file: string; reason: string }[] };
  /** True when nothing is damaged (torn tails of interrupted writes are normal and not damage). */
  healthy: boolean;
}

/** Embedding widths tried when inferring a pack's record size (ViT-bigG is 1280, SigLIP-so400m 1152). */
const MAX_EMBED_DIM = 16384;

/**
 * Payload bytes per record of a pack, found from its first record: the crc32 of key + payload
 * is stored right after them, so the width at which the running crc matches the next four
 * bytes (and the second record checks out too, when there is one) is the record's. Null when
 * the first record is damaged.
 */
async function inferPayloadBytes(file: string): Promise<number | null> {
  // Enough for the header and two records of the widest embedding tried (packs can be GBs).
  const want = PACK_MAGIC.length + 2 * (KEY_BYTES + MAX_EMBED_DIM * 4 + 4);
  const fh = await open(file, 'r');
  let buf: Buffer;
  try {
    const head = Buffer.alloc(want);
    const { bytesRead } = await fh.read(head, 0, want, 0);
    buf = head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  // The header is not required: a pack whose header is damaged still tells its record size, so
  // its records can be counted (each one is lost with the header).
  if (buf.length < PACK_MAGIC.length) return null;
  const start = PACK_MAGIC.length;
  let crc = crc32(buf.subarray(start, start + KEY_BYTES));
  for (let dim = 1; dim <= MAX_EMBED_DIM; dim++) {
    const end = start + KEY_BYTES + dim * 4;
    if (end + 4 > buf.length) return null;
    crc = crc32(buf.subarray(end - 4, end), crc);
    if (crc !== buf.readUInt32LE(end)) continue;
    const size = KEY_BYTES + dim * 4 + 4;
    const second = start + size;
    if (second + size <= buf.length && crc32(buf.subarray(second, second + size - 4)) !== buf.readUInt32LE(second + size - 4)) continue;
    return dim * 4;
  }
  return null;
}

async function namespaceReport(dir: string): Promise<{ report: NamespaceReport; scan: PackScan | null }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.pack')).sort();
  let payloadBytes: number | null = null;
  for (const n of names) {
    const s = await stat(join(dir, n));
    if (!s.isFile()) continue;
    payloadBytes = await inferPayloadBytes(join(dir, n));
    if (payloadBytes !== null) break;
  }
  const report: NamespaceReport = { dir, packs: 0, records: 0, damaged: 0, lost: 0, tornBytes: 0, notPacks: [], payloadBytes, dirtyPacks: [] };
  if (payloadBytes === null) {
    // No pack holds one valid record: every regular pack is damaged as a whole.
    for (const n of names) {
      const s = await stat(join(dir, n));
      if (!s.isFile()) report.notPacks.push(join(dir, n));
      else {
        report.packs++;
        if (s.size > 0) report.dirtyPacks.push(join(dir, n));
      }
    }
    report.damaged = report.dirtyPacks.length; // at least one record each; their width is unknown
    report.lost = report.damaged;
    return { report, scan: null };
  }
  const scan = await scanPacks(dir, payloadBytes);
  report.packs = names.length - scan.notPacks.length;
  report.records = scan.index.size;
  report.damaged = scan.corrupted.length;
  report.lost = lostEntries(scan);
  report.tornBytes = scan.tornBytes;
  report.notPacks = scan.notPacks;
  report.dirtyPacks = [...new Set([...scan.corrupted.map((c) => c.file), ...scan.torn.map((t) => t.file)])].sort();
  return { report, scan };
}

/**
 * Reads a whole cache root and lists what is damaged: layout problems (a file where a directory
 * belongs), damaged pack records with the number of images lost (not held by a valid record
 * elsewhere), torn tails, `*.pack` entries that are not files, and damaged classifier files.
 * Read-only.
 */
export async function verifyCache(root: string): Promise<CacheReport> {
  const report: CacheReport = { root, exists: false, layout: [], namespaces: [], classifiers: { files: 0, damaged: [] }, healthy: true };
  const s = await stat(root).catch(() => null);
  if (!s) return report;
  report.exists = true;
  report.layout = await layoutProblems(root);
  const blocked = new Set(report.layout.map((p) => p.path));
  if (blocked.has(root)) {
    report.healthy = false;
    return report;
  }
  for (const packs of NAMESPACE_DIRS.map((dir) => join(root, dir))) {
    if (blocked.has(packs)) continue;
    const names = await readdir(packs).catch(() => [] as string[]);
    for (const n of names.sort()) {
      if (blocked.has(join(packs, n))) continue;
      report.namespaces.push((await namespaceReport(join(packs, n))).report);
    }
  }
  const classifiers = join(root, CACHE_DIRS.classifiers);
  if (!blocked.has(classifiers)) {
    for (const n of (await readdir(classifiers).catch(() => [] as string[])).filter((f) => f.endsWith('.bin')).sort()) {
      report.classifiers.files++;
      const file = join(classifiers, n);
      const reason = await readFile(file).then(classifierDamage, (e: NodeJS.ErrnoException) => `cannot be read (${e.code ?? e.message})`);
      if (reason) report.classifiers.damaged.push({ file, reason });
    }
  }
  report.healthy = report.layout.length === 0 && report.classifiers.damaged.length === 0 &&
    report.namespaces.every((n) => n.damaged === 0 && n.notPacks.length === 0);
  return report;
}

/** What `zeroshift cache compact` did. */
export interface CompactOutcome {
  report: CacheReport;
  /** Damaged records dropped (their images are recomputed by the next run that needs them). */
  droppedRecords: number;
  /** Valid records copied out of rewritten packs. */
  keptRecords: number;
  rewrittenPacks: number;
  removed: string[];
  /** Packs left alone because the process that writes them is running. */
  inUse: string[];
}

/** The writer's pid from a pack name (`<pid>-<random>.pack`), when that process is alive and not us. */
function liveWriter(file: string): boolean {
  const pid = Number(/^(\d+)-/.exec(basename(file))?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Repairs a cache root in place: packs holding damaged records or torn tails are rewritten
 * with their valid records only (a new pack is written and fsync'd before the old ones are
 * removed, so a crash mid-way loses nothing valid), `*.pack` entries that are not files,
 * files where a cache directory belongs and damaged classifier files are removed. Packs of a
 * running writer (by the pid in their name) are left alone and listed. Afterwards no run warns
 * about damaged records.
 * @throws ZeroshiftError('INPUT') when the root itself is not a directory.
 */
export async function compactCache(root: string): Promise<CompactOutcome> {
  const report = await verifyCache(root);
  const out: CompactOutcome = { report, droppedRecords: 0, keptRecords: 0, rewrittenPacks: 0, removed: [], inUse: [] };
  if (report.layout.some((p) => p.path === root)) {
    throw new ZeroshiftError('INPUT', `the cache root ${root} is a ${report.layout[0].found}, not a directory; remove it or pass another --cache-dir`);
  }
  for (const p of report.layout) {
    await rm(p.path, { recursive: true, force: true });
    out.removed.push(p.path);
  }
  for (const c of report.classifiers.damaged) {
    await unlink(c.file).catch(() => undefined);
    out.removed.push(c.file);
  }
  for (const ns of report.namespaces) await compactNamespace(ns, out);
  return out;
}

async function compactNamespace(ns: NamespaceReport, out: CompactOutcome): Promise<void> {
  for (const p of ns.notPacks) {
    await rm(p, { recursive: true, force: true });
    out.removed.push(p);
  }
  const dirty = ns.dirtyPacks.filter((f) => {
    if (!liveWriter(f)) return true;
    out.inUse.push(f);
    return false;
  });
  if (dirty.length === 0) return;
  if (ns.payloadBytes === null) {
    for (const f of dirty) await unlink(f);
    out.droppedRecords += dirty.length;
    out.rewrittenPacks += dirty.length;
    return;
  }
  const scan = await scanPacks(ns.dir, ns.payloadBytes);
  const dirtySet = new Set(dirty);
  // Keys some clean pack holds need no copy.
  const keep = [...scan.index.entries()].filter(([, loc]) => dirtySet.has(loc.file));
  const writer = new PackWriter(ns.dir, ns.payloadBytes);
  const handles = new Map<string, FileHandle>();
  try {
    const batch = 1024;
    for (let i = 0; i < keep.length; i += batch) {
      const records: { key: string; payload: Uint8Array }[] = [];
      for (const [key, loc] of keep.slice(i, i + batch)) {
        let fh = handles.get(loc.file);
        if (!fh) handles.set(loc.file, (fh = await open(loc.file, 'r')));
        const payload = new Uint8Array(ns.payloadBytes);
        await fh.read(payload, 0, ns.payloadBytes, loc.offset);
        records.push({ key, payload });
      }
      await writer.append(records);
    }
  } finally {
    await writer.close();
    for (const fh of handles.values()) await fh.close();
  }
  for (const f of dirty) await unlink(f);
  out.keptRecords += keep.length;
  out.droppedRecords += scan.corrupted.filter((c) => dirtySet.has(c.file)).length;
  out.rewrittenPacks += dirty.length;
}
