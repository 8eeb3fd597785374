import { stat } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';
import type { Result } from '../results/schema.js';
import { executionProviderOf } from '../results/modelLabel.js';
import { findResultFiles, readResult } from '../results/store.js';
import { stableStringify } from '../util/hash.js';
import { selectEntries, type ResultEntry, type SideSelector } from './selector.js';

/** What one side of a comparison is read from. */
export interface SideInput {
  /** Result files or directories (a directory's own `*.json` results, not its subdirectories). */
  paths: string[];
  selector: SideSelector | null;
  /** `--a` / `--b`, for messages. */
  flag: string;
}

/** A (dataset, shift, prompts) unit present on both sides. */
export interface UnitPair {
  key: UnitKey;
  a: ResultEntry;
  b: ResultEntry;
}

export interface UnitKey {
  dataset: string;
  shift: { corruption: string; severity: number } | null;
  /** The text shift (`--text-shift`); absent = none. Results under different text shifts are different units. */
  textShift?: { name: string; severity: number };
  prompts: string;
}

/** A unit only one side has. */
export interface UnpairedUnit {
  key: UnitKey;
  side: 'a' | 'b';
  file: string;
}

export interface PairedUnits {
  pairs: UnitPair[];
  unpaired: UnpairedUnit[];
  a: ResultEntry[];
  b: ResultEntry[];
}

/** `shapes-standard · fog:3 · shapes-shape`, `shapes-standard · no shift · text typo:3 · shapes-shape`. */
export function unitLabel(k: UnitKey): string {
  return `${k.dataset} · ${k.shift ? `${k.shift.corruption}:${k.shift.severity}` : 'no shift'}${k.textShift ? ` · text ${k.textShift.name}:${k.textShift.severity}` : ''} · ${k.prompts}`;
}

function keyOf(r: Result): UnitKey {
  return { dataset: r.dataset.name, shift: r.shift ? { corruption: r.shift.corruption, severity: r.shift.severity } : null, ...(r.textShift ? { textShift: r.textShift } : {}), prompts: r.prompts.name };
}

/** The pairing key: dataset, shift, text shift (when there is one) and (unless prompt sets are what is compared) prompts. */
const keyText = (k: UnitKey, byPrompts = false): string => JSON.stringify([k.dataset, k.shift?.corruption ?? '', k.shift?.severity ?? 0, byPrompts ? '' : k.prompts, ...(k.textShift ? [k.textShift.name, k.textShift.severity] : [])]);

/** A pair's key; across prompt sets its prompts read `A-set vs B-set`. */
function pairKey(a: Result, b: Result): UnitKey {
  const k = keyOf(a);
  return a.prompts.name === b.prompts.name ? k : { ...k, prompts: `${a.prompts.name} vs ${b.prompts.name}` };
}

/**
 * Reads both sides, applies the selectors and pairs their results by (dataset, shift, prompts);
 * by (dataset, shift) when a selector names a prompt set (two prompt sets compared).
 * Units on one side only are returned as `unpaired`; a pair whose results were not scored on
 * the same dataset, classes or protocol is refused.
 * @throws ZeroshiftError INPUT for unreadable or partial results, several results of one unit on
 * one side, no unit in common, or a pair that differs in dataset fingerprint, class names or
 * scoring protocol (naming both files and the field).
 */
export async function pairUnits(a: SideInput, b: SideInput): Promise<PairedUnits> {
  const sides = await Promise.all([a, b].map(async (s) => {
    const where = s.paths.join(', ');
    const all = await readEntries(s.paths);
    return { input: s, where, entries: s.selector ? selectEntries(all, s.selector, s.flag, where) : all };
  }));
  const byPrompts = Boolean(a.selector?.prompts || b.selector?.prompts);
  const [A, B] = [byUnit(sides[0].entries, sides[0].input, sides[0].where, byPrompts), byUnit(sides[1].entries, sides[1].input, sides[1].where, byPrompts)];
  const pairs: UnitPair[] = [];
  const unpaired: UnpairedUnit[] = [];
  for (const [k, ea] of A) {
    const eb = B.get(k);
    if (eb) pairs.push({ key: pairKey(ea.result, eb.result), a: ea, b: eb });
    else unpaired.push({ key: keyOf(ea.result), side: 'a', file: ea.file });
  }
  for (const [k, eb] of B) if (!A.has(k)) unpaired.push({ key: keyOf(eb.result), side: 'b', file: eb.file });
  if (pairs.length === 0) {
    const list = (m: Map<string, ResultEntry>): string => [...m.values()].slice(0, 4).map((e) => unitLabel(keyOf(e.result))).join('; ') + (m.size > 4 ? `; … (${m.size})` : '');
    throw new ZeroshiftError('INPUT', `nothing to compare: A (${sides[0].where}) and B (${sides[1].where}) have no dataset × shift × prompts in common (A: ${list(A)}; B: ${list(B)})`, {
      hint: 'compare results of the same datasets, shifts and prompt sets (run `zeroshift eval` on the same suite for both)',
    });
  }
  for (const p of pairs) checkComparable(p);
  const order = (u: { key: UnitKey }): string => keyText(u.key);
  pairs.sort((x, y) => compareKeys(x.key, y.key) || order(x).localeCompare(order(y)));
  unpaired.sort((x, y) => x.side.localeCompare(y.side) || compareKeys(x.key, y.key));
  return { pairs, unpaired, a: sides[0].entries, b: sides[1].entries };
}

/** Dataset, then unshifted before shifted, then corruption and severity, then prompts. */
function compareKeys(x: UnitKey, y: UnitKey): number {
  return x.dataset.localeCompare(y.dataset) || Number(x.shift !== null) - Number(y.shift !== null)
    || (x.shift?.corruption ?? '').localeCompare(y.shift?.corruption ?? '') || (x.shift?.severity ?? 0) - (y.shift?.severity ?? 0)
    || (x.textShift?.name ?? '').localeCompare(y.textShift?.name ?? '') || (x.textShift?.severity ?? 0) - (y.textShift?.severity ?? 0)
    || x.prompts.localeCompare(y.prompts);
}

async function readEntries(paths: readonly string[]): Promise<ResultEntry[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) throw new ZeroshiftError('INPUT', `results path not found: ${p}`);
    files.push(...(info.isDirectory() ? await findResultFiles(p) : [p]));
  }
  if (files.length === 0) throw new ZeroshiftError('INPUT', `no zeroshift result files in ${paths.join(', ')}`, { hint: 'run `zeroshift eval --out DIR` first' });
  const seen = new Map<string, ResultEntry>();
  for (const file of [...new Set(files)].sort()) {
    const result = await readResult(file);
    if (result.range) throw new ZeroshiftError('INPUT', `${file}: a shard's partial result (items ${result.range.start}-${result.range.end} of ${result.range.of})`, { hint: 'merge the shards first: zeroshift merge DIRS... --out DIR' });
    if (!seen.has(result.id)) seen.set(result.id, { file, result });
  }
  return [...seen.values()];
}

function byUnit(entries: readonly ResultEntry[], side: SideInput, where: string, byPrompts: boolean): Map<string, ResultEntry> {
  const groups = new Map<string, ResultEntry[]>();
  for (const e of entries) {
    const k = keyText(keyOf(e.result), byPrompts);
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const out = new Map<string, ResultEntry>();
  for (const [k, g] of groups) {
    if (g.length > 1) {
      const what = g.map((e) => `${e.file} (${e.result.model.name}, ${e.result.model.dtype}, ${e.result.model.executionProvider ? `${e.result.model.executionProvider}, ` : ''}${e.result.prompts.name})`).join(', ');
      const providers = new Set(g.map((e) => executionProviderOf(e.result.model)));
      throw new ZeroshiftError('INPUT', `${side.flag.slice(2).toUpperCase()} (${where}) has ${g.length} results for ${unitLabel(keyOf(g[0].result))}: ${what}`, {
        hint: byPrompts && new Set(g.map((e) => e.result.prompts.name)).size > 1
          ? `pick its prompt set with ${side.flag}-prompts SET, e.g. ${side.flag}-prompts ${g[0].result.prompts.name}`
          : providers.size > 1 && new Set(g.map((e) => e.result.model.dtype)).size === 1
            ? `they differ in execution provider only (${[...providers].join(', ')}): pick one with ${side.flag} MODEL:DTYPE:PROVIDER, e.g. ${side.flag} ${g[0].result.model.name}:${g[0].result.model.dtype}:${[...providers].sort()[0]}`
            : `pick one side's model with ${side.flag} MODEL[:DTYPE], e.g. ${side.flag} ${g[0].result.model.name}:${g[0].result.model.dtype}`,
      });
    }
    out.set(k, g[0]);
  }
  return out;
}

/** Refuses a pair whose two results were not scored on the same items under the same rule. */
function checkComparable(p: UnitPair): void {
  const ra = p.a.result;
  const rb = p.b.result;
  const fields: [string, unknown, unknown, string][] = [
    ['dataset.fingerprint', ra.dataset.fingerprint, rb.dataset.fingerprint, 'the same dataset name holds other images (another n, another copy or version)'],
    ['dataset.classNames', ra.dataset.classNames, rb.dataset.classNames, 'the classes differ'],
    ['scoringProtocol', ra.scoringProtocol, rb.scoringProtocol, 'the items were scored under different rules (class subset, label mapping or crop)'],
  ];
  for (const [field, va, vb, why] of fields) {
    if (stableStringify(va) !== stableStringify(vb)) throw mismatch(p, field, short(va), short(vb), why);
  }
}

/** The error for a pair that cannot be compared: both files, the field and both values. */
export function mismatch(p: UnitPair, field: string, va: string, vb: string, why: string): ZeroshiftError {
  return new ZeroshiftError('INPUT', `cannot compare ${unitLabel(p.key)}: ${p.a.file} and ${p.b.file} differ in ${field} (${va} vs ${vb}): ${why}`, {
    hint: 'compare results of one dataset and protocol (same spec, n and scoring)',
  });
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : stableStringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
