/**
 * The per-sample `.npy` metadata vector of DataComp's fairness and WILDS WebDatasets (FMoW,
 * Dollar Street, GeoDE, iWildCam, Camelyon17: `KEY.npy`, one integer per metadata field, the
 * field order fixed per dataset by the evaluator, e.g. Dollar Street income_ds, income_meta,
 * region). Parsed from the tar member's bytes: NPY v1–v3, a 1-D little-endian integer or
 * float array in C order.
 */
const DTYPES: Record<string, { size: number; read: (v: DataView, o: number) => number }> = {
  '|i1': { size: 1, read: (v, o) => v.getInt8(o) },
  '|u1': { size: 1, read: (v, o) => v.getUint8(o) },
  '<i2': { size: 2, read: (v, o) => v.getInt16(o, true) },
  '<u2': { size: 2, read: (v, o) => v.getUint16(o, true) },
  '<i4': { size: 4, read: (v, o) => v.getInt32(o, true) },
  '<u4': { size: 4, read: (v, o) => v.getUint32(o, true) },
  '<i8': { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  '<u8': { size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
  '<f4': { size: 4, read: (v, o) => v.getFloat32(o, true) },
  '<f8': { size: 8, read: (v, o) => v.getFloat64(o, true) },
};

/** The values of a 1-D `.npy`, or why it cannot be read. */
export function parseNpyVector(bytes: Uint8Array, where: string): { ok: true; values: number[] } | { ok: false; reason: string } {
  const bad = (why: string) => ({ ok: false as const, reason: `metadata ${where} is not a readable .npy vector (${why})` });
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') return bad('no NUMPY magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) return bad('header runs past the end');
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1]?.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (/'fortran_order'\s*:\s*True/.test(header) && (shape?.length ?? 0) > 1) return bad('Fortran order');
  const dtype = descr === undefined ? undefined : DTYPES[descr];
  if (!dtype) return bad(`dtype ${descr ?? '?'}; integers or floats, little-endian`);
  const n = shape?.reduce((a, b) => a * b, 1) ?? 0;
  const body = start + headerLen;
  if (body + n * dtype.size > bytes.length) return bad(`${n} values of ${dtype.size} bytes do not fit`);
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(dtype.read(view, body + i * dtype.size));
  return { ok: true, values };
}
