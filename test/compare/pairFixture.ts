import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Prediction, Result } from '../../src/results/schema.js';
import { writeResult } from '../../src/results/store.js';
import { makeResult } from '../report/resultFactory.js';

/** One item of a hand-built result: right or wrong, and the top-1 probability. */
export interface ItemSpec {
  correct: boolean;
  score?: number;
}

export const CLASSES = 8;

/** Item ids as the shapes generator names them, so thumbnails resolve from `shapes:standard?n=…`. */
export const itemId = (i: number): string => `shapes-standard-${String(i).padStart(6, '0')}`;

/**
 * A schema-valid result of `model` on shapes-standard whose predictions are exactly `items`
 * (item i has label i % 4; a wrong item predicts the next class), with n, top-1 and per-class
 * counts computed from them.
 */
export function handResult(model: string, items: readonly ItemSpec[], o: { dtype?: Result['model']['dtype']; shift?: Result['shift']; prompts?: string } = {}): { result: Result; predictions: Prediction[] } {
  const result = makeResult({ model, shift: o.shift ?? null, prompts: o.prompts });
  // Result file names carry the id's first 12 characters: a hash keeps them apart.
  result.id = createHash('sha256').update(`${model}|${o.dtype ?? 'fp32'}|${o.shift ? `${o.shift.corruption}-${o.shift.severity}` : 'none'}|${o.prompts ?? 'p'}`).digest('hex');
  result.model.dtype = o.dtype ?? 'fp32';
  result.dataset.spec = `shapes:standard?n=${items.length}`;
  const predictions: Prediction[] = items.map((it, i) => {
    const label = i % 4;
    const first = it.correct ? label : (label + 1) % CLASSES;
    const rest = [...Array(CLASSES).keys()].filter((k) => k !== first).slice(0, 4);
    const s = it.score ?? 0.5;
    return { id: itemId(i), label, top: [first, ...rest], scores: [s, (1 - s) / 2, (1 - s) / 4, (1 - s) / 8, (1 - s) / 16], correct: it.correct };
  });
  const n = predictions.length;
  const correct = predictions.filter((p) => p.correct).length;
  result.metrics = { ...result.metrics, n, acc1: correct / n, acc1Ci: [Math.max(0, correct / n - 0.1), Math.min(1, correct / n + 0.1)] };
  result.perClass = result.perClass.map((c) => {
    const rows = predictions.filter((p) => p.label === c.index);
    const ok = rows.filter((p) => p.correct).length;
    return { ...c, n: rows.length, correct: ok, accuracy: rows.length ? ok / rows.length : null };
  });
  return { result, predictions };
}

/** Writes results with the real store into a fresh directory; returns it. */
export async function writeDir(runs: { result: Result; predictions: Prediction[] }[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'zeroshift-compare-'));
  for (const r of runs) await writeResult(dir, r.result, r.predictions);
  return dir;
}

const spec = (both: number[], onlyA: number[], onlyB: number[], n: number, scoresA: Record<number, number> = {}): [ItemSpec[], ItemSpec[]] => {
  const a: ItemSpec[] = [];
  const b: ItemSpec[] = [];
  for (let i = 0; i < n; i++) {
    a.push({ correct: both.includes(i) || onlyA.includes(i), score: scoresA[i] });
    b.push({ correct: both.includes(i) || onlyB.includes(i) });
  }
  return [a, b];
};

/**
 * The hand-computed case: 12 items; both right on 0–4, only A on 5, only B on 6–9, both wrong on
 * 10–11. A's confidence on its mistakes 6, 7, 8, 9 is 0.6, 0.9, 0.7, 0.8.
 */
export const HAND = spec([0, 1, 2, 3, 4], [5], [6, 7, 8, 9], 12, { 6: 0.6, 7: 0.9, 8: 0.7, 9: 0.8 });
