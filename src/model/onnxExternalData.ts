/**
 * The external-data files an ONNX graph references, read from the graph itself: every
 * TensorProto's `external_data` entry with key `location` (initializers, sparse initializers,
 * Constant and other node attributes, nested If/Loop subgraphs and model-local functions). ORT
 * reads whatever names these hold (`model.onnx_data`, `weights.bin`, one file per tensor), so a
 * model's identity has to cover exactly these files, not the ones a naming convention expects.
 *
 * A small reader of the protobuf wire format over positioned reads: raw tensor bytes are
 * skipped, not read, so a graph with gigabytes of inline weights costs a few reads per tensor.
 * Field numbers are onnx.proto's.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { resolveInside } from '../util/containedPath.js';

const BLOCK = 64 * 1024;
/** Deeper nesting than any real graph (subgraphs in subgraphs): a bound against hostile files. */
const MAX_DEPTH = 64;

type Walk = (r: ProtoReader, start: number, end: number, depth: number) => void;

class ProtoReader {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  readonly locations: string[] = [];

  constructor(private readonly fd: number, readonly size: number, readonly path: string) {}

  byteAt(pos: number): number {
    if (pos < this.bufStart || pos >= this.bufStart + this.buf.length) {
      const b = Buffer.alloc(Math.min(BLOCK, this.size - pos));
      const n = readSync(this.fd, b, 0, b.length, pos);
      this.buf = b.subarray(0, n);
      this.bufStart = pos;
      if (n === 0) this.fail(`ends inside a field at byte ${pos}`);
    }
    return this.buf[pos - this.bufStart];
  }

  varint(pos: number): [number, number] {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byteAt(pos++);
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return [value, pos];
      scale *= 128;
    }
    return this.fail(`has a varint longer than 10 bytes at byte ${pos}`);
  }

  text(start: number, end: number): string {
    const b = Buffer.alloc(end - start);
    readSync(this.fd, b, 0, b.length, start);
    return b.toString('utf8');
  }

  fail(what: string): never {
    throw new ZeroshiftError('MODEL', `${this.path}: not a readable ONNX graph: ${what}`, { hint: 'the file may be truncated: copy or download it again' });
  }

  /** Calls `on(field, start, end)` for each length-delimited field in [start, end); skips the rest. */
  fields(start: number, end: number, on: (field: number, start: number, end: number) => void): void {
    let pos = start;
    while (pos < end) {
      const [tag, p] = this.varint(pos);
      const field = Math.floor(tag / 8);
      switch (tag % 8) {
        case 0: pos = this.varint(p)[1]; break;
        case 1: pos = p + 8; break;
        case 5: pos = p + 4; break;
        case 2: {
          const [len, q] = this.varint(p);
          if (q + len > end) this.fail(`field ${field} at byte ${pos} runs past its message`);
          on(field, q, q + len);
          pos = q + len;
          break;
        }
        default: this.fail(`unsupported wire type ${tag % 8} at byte ${pos}`);
      }
    }
    if (pos !== end) this.fail(`a field at byte ${start} runs past its message`);
  }
}

/** Descends into the fields of a message whose numbers map to walkers. */
function message(children: Record<number, () => Walk>): Walk {
  return (r, start, end, depth) => {
    if (depth > MAX_DEPTH) r.fail(`messages nested deeper than ${MAX_DEPTH}`);
    r.fields(start, end, (field, s, e) => children[field]?.()(r, s, e, depth + 1));
  };
}

const entry: Walk = (r, start, end) => {
  let key = '';
  let value = '';
  r.fields(start, end, (field, s, e) => {
    if (field === 1) key = r.text(s, e);
    else if (field === 2) value = r.text(s, e);
  });
  if (key === 'location') r.locations.push(value);
};
// TensorProto.external_data = 13.
const tensor: Walk = message({ 13: () => entry });
// SparseTensorProto values = 1, indices = 2.
const sparse: Walk = message({ 1: () => tensor, 2: () => tensor });
// AttributeProto t = 5, g = 6, tensors = 10, graphs = 11, sparse_tensor = 22, sparse_tensors = 23.
const attribute: Walk = message({ 5: () => tensor, 6: () => graph, 10: () => tensor, 11: () => graph, 22: () => sparse, 23: () => sparse });
// NodeProto attribute = 5.
const node: Walk = message({ 5: () => attribute });
// GraphProto node = 1, initializer = 5, sparse_initializer = 15.
const graph: Walk = message({ 1: () => node, 5: () => tensor, 15: () => sparse });
// FunctionProto node = 7.
const fn: Walk = message({ 7: () => node });
// ModelProto graph = 7, functions = 25.
const model: Walk = message({ 7: () => graph, 25: () => fn });

/**
 * The `location` strings of `graphPath`'s external data as the graph holds them (unchecked:
 * relative to the graph's folder), in first-reference order, each once. The Hub client fetches
 * these beside the graph; externalDataFiles checks and resolves them.
 * @throws ZeroshiftError('MODEL') when the graph cannot be parsed
 */
export function externalDataLocations(graphPath: string): string[] {
  const fd = openSync(graphPath, 'r');
  try {
    const r = new ProtoReader(fd, fstatSync(fd).size, graphPath);
    model(r, 0, r.size, 0);
    return [...new Set(r.locations)];
  } finally {
    closeSync(fd);
  }
}

/**
 * Absolute paths of the external-data files `graphPath` references, in first-reference order,
 * each once.
 * @throws ZeroshiftError('MODEL') when a location leaves the graph's folder (util/containedPath's
 *   rule), names a missing file, or the graph cannot be parsed
 */
export function externalDataFiles(graphPath: string): string[] {
  const dir = dirname(graphPath);
  const out: string[] = [];
  for (const location of externalDataLocations(graphPath)) {
    const path = resolveInside(dir, location, { source: graphPath, key: 'external data location', code: 'MODEL' });
    if (!existsSync(path)) {
      throw new ZeroshiftError('MODEL', `${graphPath}: references external data ${JSON.stringify(location)}, but ${path} is missing`, {
        hint: 'copy every file the export wrote beside the graph (its weights live there)',
      });
    }
    out.push(path);
  }
  return out;
}
