import { stat } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';
import { readBytesAt } from './records.js';

/** Header of a NumPy .npy file (format versions 1.0, 2.0, 3.0). */
export interface NpyHeader {
  path: string;
  /** dtype kind and size, e.g. {kind: 'u', bytes: 1}; `littleEndian` matters for bytes > 1. */
  kind: 'u' | 'i';
  bytes: number;
  littleEndian: boolean;
  shape: number[];
  dataOffset: number;
}

const MAGIC = '\x93NUMPY';
const MAX_HEADER_BYTES = 1 << 20;

function fail(path: string, why: string): never {
  throw new ZeroshiftError('DATASET', `${path}: not a supported .npy file (${why})`);
}

/** Parses the Python-literal header dict: descr, fortran_order, shape. */
function parseDict(text: string, path: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail(path, `unreadable header ${JSON.stringify(text.slice(0, 120))}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(path, `bad shape (${shapeText})`);
  return { descr, fortran: fortran === 'True', shape };
}

/** Reads and validates the header; the file size must match shape x itemsize exactly. */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const pre = await readBytesAt(path, 0, 12);
  if (Buffer.from(pre.subarray(0, 6)).toString('latin1') !== MAGIC) fail(path, 'missing \\x93NUMPY magic');
  const major = pre[6];
  if (major < 1 || major > 3) fail(path, `format version ${major}.${pre[7]}`);
  const view = new DataView(pre.buffer, pre.byteOffset, pre.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (pre.length < 12) fail(path, `truncated: ${pre.length} bytes, shorter than the 12-byte preamble`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  // numpy writes a few hundred bytes and refuses more than 10,000 by default; 1 MiB is ample.
  if (headerLen > MAX_HEADER_BYTES) fail(path, `header length ${headerLen} at byte offset 8 exceeds ${MAX_HEADER_BYTES} bytes`);
  const dataOffset = 8 + lenBytes + headerLen;
  const raw = Buffer.from(await readBytesAt(path, 8 + lenBytes, headerLen));
  if (raw.length < headerLen) fail(path, `truncated: the header at byte offset ${8 + lenBytes} needs ${headerLen} bytes, the file has ${raw.length}`);
  const { descr, fortran, shape } = parseDict(raw.toString(major === 3 ? 'utf8' : 'latin1'), path);
  if (fortran) fail(path, 'fortran_order=True');
  const m = /^([<>|=])([ui])(\d)$/.exec(descr);
  if (!m || ![1, 2, 4, 8].includes(Number(m[3]))) fail(path, `dtype '${descr}'; supported: unsigned/signed integers of 1, 2, 4 or 8 bytes`);
  const bytes = Number(m[3]);
  const header: NpyHeader = { path, kind: m[2] as 'u' | 'i', bytes, littleEndian: m[1] !== '>', shape, dataOffset };
  const need = dataOffset + shape.reduce((a, b) => a * b, 1) * bytes;
  const size = (await stat(path)).size;
  if (size < need) fail(path, `truncated: ${size} bytes but shape (${shape.join(', ')}) of '${descr}' needs ${need} (data from byte offset ${dataOffset}; the file ends at ${size})`);
  if (size !== need) fail(path, `${size} bytes but shape (${shape.join(', ')}) of '${descr}' needs ${need}`);
  return header;
}

/** Reads a 1-D integer array [first, first + count) as numbers (for label files). */
export async function readNpyInts(h: NpyHeader, first: number, count: number): Promise<number[]> {
  const buf = await readBytesAt(h.path, h.dataOffset + first * h.bytes, count * h.bytes);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const get = (o: number): number => {
    switch (h.bytes) {
      case 1: return h.kind === 'u' ? view.getUint8(o) : view.getInt8(o);
      case 2: return h.kind === 'u' ? view.getUint16(o, h.littleEndian) : view.getInt16(o, h.littleEndian);
      case 4: return h.kind === 'u' ? view.getUint32(o, h.littleEndian) : view.getInt32(o, h.littleEndian);
      default: return Number(h.kind === 'u' ? view.getBigUint64(o, h.littleEndian) : view.getBigInt64(o, h.littleEndian));
    }
  };
  return Array.from({ length: count }, (_, i) => get(i * h.bytes));
}
