import type { SkippedItem } from '../types.js';

/** Captions of one item, or why there are none. */
export type CaptionParse = { ok: true; captions: string[] } | { ok: false; reason: string };

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One caption per line, as CLIP_benchmark reads a retrieval WebDataset's `.txt`
 * (`str.splitlines` after webdataset's UTF-8 decode). Two departures, both listed through
 * `onProblem` so nothing is silent: an empty (or blank) line is dropped, where
 * CLIP_benchmark would embed the empty string as a caption; a file that is not UTF-8 skips
 * the item, where webdataset would raise and stop the whole run. CLIP_benchmark's exporter
 * writes a caption's own newlines as the two characters `\n`; they are kept as written.
 */
export function parseCaptionFile(bytes: Uint8Array, id: string, where: string, onProblem: (item: SkippedItem) => void): CaptionParse {
  let text: string;
  try {
    text = FATAL_UTF8.decode(bytes);
  } catch {
    return { ok: false, reason: `caption file ${where} is not valid UTF-8` };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const captions: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') onProblem({ id: `${id}#caption-line-${i + 1}`, reason: `empty caption line ${i + 1} in ${where} dropped` });
    else captions.push(line.trim());
  });
  if (captions.length === 0) return { ok: false, reason: `no caption in ${where}` };
  return { ok: true, captions };
}

/** Parses per-item JSON metadata; a value that is not a JSON object is a reason to skip. */
export function parseMetadataJson(bytes: Uint8Array | string, where: string): { ok: true; metadata: Record<string, unknown> } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : FATAL_UTF8.decode(bytes));
  } catch (e) {
    return { ok: false, reason: `metadata ${where} is not JSON (${(e as Error).message.slice(0, 80)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: `metadata ${where} is not a JSON object` };
  return { ok: true, metadata: value as Record<string, unknown> };
}
