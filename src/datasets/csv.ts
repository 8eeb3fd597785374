import { basename, dirname, isAbsolute, resolve } from 'node:path';
import Papa from 'papaparse';
import { ZeroshiftError } from '../errors.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, enumOption, requireArg } from './options.js';
import { fingerprintFiles, readClassNames, readRegularFile } from './files.js';
import { pySorted } from './sortNames.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from './types.js';

const OPTIONS = {
  'path-column': "column holding the image path, relative to the manifest (default 'path', else 'filepath')",
  'label-column': "column holding the label: a class index or a class name (default 'label')",
  classnames: 'file with one class name per line, in label order (default: the sorted distinct labels, or 0..max for integer labels)',
  delimiter: "'auto' (default), 'comma', 'tab' or 'semicolon'",
};
const DELIMITERS = { auto: '', comma: ',', tab: '\t', semicolon: ';' } as const;

interface Row {
  line: number;
  fields: Record<string, string>;
}

/** Decodes UTF-8; invalid bytes become U+FFFD and yield a warning instead of a crash. */
function decodeManifest(bytes: Uint8Array, path: string): { text: string; warning?: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), warning: `${path}: not valid UTF-8; invalid bytes were replaced by U+FFFD` };
  }
}

const countNewlines = (s: string): number => (s.match(/\n/g) ?? []).length;

/** Parses the manifest keeping each row's 1-based line number (quoted fields may span lines). */
function parseRows(text: string, path: string, delimiter: string): { header: string[]; rows: Row[] } {
  const body = text.replace(/^\uFEFF/, '');
  const raw: { line: number; data: string[] }[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(body, {
    delimiter,
    skipEmptyLines: 'greedy',
    step: (result) => {
      const segment = body.slice(start, result.meta.cursor);
      // Blank lines skipped before the row belong to its segment; the row starts after them.
      const blank = /^(?:[ \t\r]*\n)*/.exec(segment)![0];
      raw.push({ line: line + countNewlines(blank), data: result.data });
      line += countNewlines(segment);
      start = result.meta.cursor;
    },
  });
  if (raw.length === 0) throw new ZeroshiftError('DATASET', `${path}: empty manifest (no header row)`);
  const header = raw[0].data.map((h) => h.trim());
  const rows = raw.slice(1).map(({ line: l, data }) => ({ line: l, fields: Object.fromEntries(header.map((h, i) => [h, data[i] ?? ''])) }));
  return { header, rows };
}

function pickColumn(header: string[], wanted: string | undefined, defaults: string[], path: string, what: string): string {
  const candidates = wanted !== undefined ? [wanted] : defaults;
  const found = candidates.find((c) => header.includes(c));
  if (found === undefined) {
    throw new ZeroshiftError('DATASET', `${path}:1: no ${what} column ${candidates.map((c) => `'${c}'`).join(' or ')}; columns: ${header.join(', ')}`, {
      hint: `choose one with ?${what}-column=NAME`,
    });
  }
  const at = header.flatMap((h, i) => (h === found ? [i + 1] : []));
  if (at.length > 1) {
    // Row objects keep only the last of same-named columns: which one is meant cannot be guessed.
    throw new ZeroshiftError('DATASET', `${path}:1: column '${found}' appears ${at.length} times (columns ${at.join(', ')}); rename all but one`);
  }
  return found;
}

/**
 * Integer labels without a class-name file make the class list 0..max. A label far above the
 * others (a typo, a hash) would silently add that many classes, each with its prompts; the list
 * must be at most this many times wider than the labels actually used.
 */
const MAX_INTEGER_LABEL_SPREAD = 4;

function integerClasses(labels: string[], where: (i: number) => string): string[] {
  let max = -1;
  let at = 0;
  labels.forEach((l, i) => {
    if (Number(l) > max) [max, at] = [Number(l), i];
  });
  const distinct = new Set(labels.map(Number)).size;
  if (max + 1 > MAX_INTEGER_LABEL_SPREAD * Math.max(distinct, 1) && max + 1 > 16) {
    throw new ZeroshiftError('DATASET', `${where(at)}: integer label ${max} would make ${max + 1} classes (0..${max}) but only ${distinct} distinct labels appear`, {
      hint: 'pass the class list with ?classnames=FILE (one name per line, in label order), or fix the label',
    });
  }
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}

/** Class list and a label resolver: names match exactly, else integers index the list. */
function labelResolver(labels: string[], classNames: string[] | null, where: (i: number) => string): { classNames: string[]; resolve: (v: string) => number } {
  const isInt = (v: string): boolean => /^\d{1,15}$/.test(v);
  const names = classNames ?? (labels.every(isInt) ? integerClasses(labels, where) : pySorted(new Set(labels)));
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    classNames: names,
    resolve: (v) => index.get(v) ?? (isInt(v) && Number(v) < names.length ? Number(v) : -1),
  };
}

/** Columns other than the path and label are per-item metadata (`--group-by COLUMN`); empty cells are absent. */
function metadataColumns(r: Row, pathCol: string, labelCol: string): Record<string, string> {
  // Null prototype: column names are user input (a column named `__proto__` is a metadata field like any other).
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(r.fields)) if (k !== pathCol && k !== labelCol && k !== '' && v.trim() !== '') out[k] = v.trim();
  return out;
}

async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const path = requireArg(spec, 'a CSV/TSV manifest');
  const delimiter = DELIMITERS[enumOption(spec, 'delimiter', ['auto', 'comma', 'tab', 'semicolon'] as const, 'auto')];
  const bytes = await readRegularFile(path, 'manifest');
  const { text, warning } = decodeManifest(bytes, path);
  const { header, rows } = parseRows(text, path, delimiter);
  const pathCol = pickColumn(header, spec.options['path-column'], ['path', 'filepath'], path, 'path');
  const labelCol = pickColumn(header, spec.options['label-column'], ['label'], path, 'label');
  for (const r of rows) {
    if ((r.fields[pathCol] ?? '').trim() === '') throw new ZeroshiftError('DATASET', `${path}:${r.line}: row has no image path in column '${pathCol}'`);
    if ((r.fields[labelCol] ?? '').trim() === '') throw new ZeroshiftError('DATASET', `${path}:${r.line}: row has an empty label in column '${labelCol}'`);
  }
  const given = spec.options.classnames ? await readClassNames(spec.options.classnames) : null;
  const { classNames, resolve: toLabel } = labelResolver(rows.map((r) => (r.fields[labelCol] ?? '').trim()), given, (i) => `${path}:${rows[i].line}`);
  const base = dirname(path);
  const seen = new Set<string>();
  const samples: Sample[] = rows.map((r) => {
    const value = (r.fields[labelCol] ?? '').trim();
    const label = toLabel(value);
    if (label < 0) throw new ZeroshiftError('DATASET', `${path}:${r.line}: label '${value}' is not a class name or index in 0..${classNames.length - 1}`);
    const rel = r.fields[pathCol].trim();
    const id = seen.has(rel) ? `${rel}#${r.line}` : rel;
    seen.add(rel);
    return { id, image: { kind: 'path', path: isAbsolute(rel) ? rel : resolve(base, rel) }, label, metadata: { line: r.line, ...metadataColumns(r, pathCol, labelCol) } };
  });
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'csv',
    name: basename(path).replace(/\.[^.]*$/, ''),
    classNames,
    size: samples.length,
    warnings: warning ? [warning] : undefined,
    fingerprint: await fingerprintFiles(base, [path, ...(spec.options.classnames ? [spec.options.classnames] : [])], spec.options),
    async *samples(options = {}) {
      for (const s of samples) {
        options.signal?.throwIfAborted();
        yield s;
      }
    },
  };
}

export const csvAdapter: AdapterDef = {
  id: 'csv',
  summary: 'CSV/TSV manifest of image paths and labels',
  format:
    'a UTF-8 CSV or TSV file with a header row (BOM, quoted fields and CRLF accepted); one row per image with ' +
    'a path column (relative to the manifest or absolute) and a label column (class name or class index); ' +
    'other columns are per-item metadata (--group-by COLUMN)',
  options: OPTIONS,
  example: 'csv:/data/list.csv?path-column=file&label-column=label',
  open,
};
