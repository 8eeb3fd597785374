import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type Rng } from '../../src/util/rng.js';
import { RESULT_SCHEMA_VERSION, resultSchema, type Prediction, type Result } from '../../src/results/schema.js';
import { writeResult } from '../../src/results/store.js';

/**
 * Synthetic but realistic result sets for report tests: shapes standard/dark/sketch and two
 * corruptions at severities 1–5, several models, two prompt sets. Predictions are drawn first
 * and every metric is computed from them, so results and predictions files agree.
 */

export const SHAPES = ['circle', 'square', 'triangle', 'pentagon', 'hexagon', 'star', 'cross', 'diamond'];

interface RunSpec { model: string; prompts: string; idLogit: number; robustBonus: number }

export const RUNS: RunSpec[] = [
  { model: 'tiny-clip-shapes', prompts: 'default', idLogit: 2.0, robustBonus: 0 },
  { model: 'tiny-clip-shapes', prompts: 'ensemble-7', idLogit: 2.3, robustBonus: 0 },
  { model: 'tiny-clip-shapes-robust', prompts: 'default', idLogit: 1.8, robustBonus: 1.6 },
  { model: 'tiny-clip-shapes-robust', prompts: 'ensemble-7', idLogit: 2.0, robustBonus: 1.6 },
  { model: 'zoo-small', prompts: 'default', idLogit: 0.8, robustBonus: 0 },
  { model: 'zoo-wide', prompts: 'default', idLogit: 1.4, robustBonus: 0 },
];

const TEMPLATES: Record<string, string[]> = {
  default: ['a photo of a {}.'],
  'ensemble-7': ['a photo of a {}.', 'a {}.', 'an image of a {}.', 'a picture of a {}.', 'a rendering of a {}.', 'a drawing of a {}.', 'the {}.'],
};

interface Condition { variant: string; corruption: string | null; severity: number; shiftLogit: number }

const CONDITIONS: Condition[] = [
  { variant: 'standard', corruption: null, severity: 0, shiftLogit: 0 },
  { variant: 'dark', corruption: null, severity: 0, shiftLogit: -1.8 },
  { variant: 'sketch', corruption: null, severity: 0, shiftLogit: -2.6 },
  ...['gaussian_noise', 'contrast'].flatMap((c, ci) =>
    [1, 2, 3, 4, 5].map((s) => ({ variant: 'standard', corruption: c, severity: s, shiftLogit: -(0.35 + 0.15 * ci) * s }))),
];

const sig = (z: number): number => 1 / (1 + Math.exp(-z));

function drawPredictions(rng: Rng, n: number, pCorrect: number): Prediction[] {
  const out: Prediction[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % SHAPES.length;
    // Class-dependent difficulty so per-class drops differ (stars and crosses break first).
    const p = Math.min(0.99, Math.max(0.01, pCorrect + (label === 5 || label === 6 ? -0.15 : 0.04)));
    const wrong = (label + 1 + rng.int(0, SHAPES.length - 2)) % SHAPES.length;
    const first = rng.next() < p ? label : wrong;
    const rest = [...Array(SHAPES.length).keys()].filter((k) => k !== first);
    for (let k = rest.length - 1; k > 0; k--) {
      const j = rng.int(0, k);
      [rest[k], rest[j]] = [rest[j], rest[k]];
    }
    const s0 = 0.35 + 0.6 * rng.next();
    const rem = 1 - s0;
    const scores = [s0, rem * 0.5, rem * 0.25, rem * 0.125, rem * 0.0625];
    out.push({ id: `img-${String(i).padStart(5, '0')}`, label, top: [first, ...rest.slice(0, 4)], scores, correct: first === label });
  }
  return out;
}

function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [c - h, c + h];
}

function buildResult(run: RunSpec, cond: Condition, preds: Prediction[]): Result {
  const n = preds.length;
  const correct = preds.filter((p) => p.top[0] === p.label).length;
  const top5 = preds.filter((p) => p.top.includes(p.label)).length;
  const confusion = SHAPES.map(() => SHAPES.map(() => 0));
  for (const p of preds) confusion[p.label][p.top[0]] += 1;
  const perClass = SHAPES.map((name, index) => {
    const rows = preds.filter((p) => p.label === index);
    const ok = rows.filter((p) => p.top[0] === index).length;
    return { index, name, n: rows.length, correct: ok, accuracy: rows.length ? ok / rows.length : null };
  });
  const name = `shapes-${cond.variant}`;
  const shift = cond.corruption ? { corruption: cond.corruption, severity: cond.severity } : null;
  const h = (s: string): string => s.padEnd(64, '0').slice(0, 64);
  return resultSchema.parse({
    schemaVersion: RESULT_SCHEMA_VERSION, kind: 'zeroshift-result',
    id: `${run.model}|${name}|${cond.corruption ?? 'none'}-${cond.severity}|${run.prompts}`,
    createdAt: '2025-01-02T03:04:05.000Z', zeroshiftVersion: '0.1.0',
    command: ['zeroshift', 'eval', '--model', run.model], task: 'zeroshot_classification',
    model: {
      name: run.model, source: `embedded:${run.model}`, dtype: 'fp32', textModelPath: 'models/text.onnx', visionModelPath: `models/${run.model}.onnx`,
      hashes: { textModel: h('aa11'), visionModel: h(run.model.replace(/[^a-f0-9]/g, '') + 'bb'), tokenizer: h('cc'), preprocessor: h('dd') },
      embedDim: 64, logitScale: 100, contextLength: 77, scoring: { rule: 'softmax', scale: 100, bias: 0 },
    },
    dataset: {
      spec: `shapes:${cond.variant}`, name, adapter: 'shapes', family: 'shapes', variant: cond.variant, isStandard: cond.variant === 'standard',
      fingerprint: h(`ee${cond.variant.length}`), numClasses: SHAPES.length, classNames: SHAPES, subset: null, protocol: null,
    },
    shift,
    prompts: { name: run.prompts, source: 'shipped', templates: TEMPLATES[run.prompts], ensembling: run.prompts === 'default' ? 'single' : 'clip', hash: h('ff') },
    scoringProtocol: { classColumns: null, labelColumns: null, crop: null },
    metrics: { n, acc1: correct / n, acc1Ci: wilson(correct, n), acc5: top5 / n, acc5Ci: wilson(top5, n), meanPerClassRecall: perClass.reduce((s, c) => s + (c.accuracy ?? 0), 0) / SHAPES.length, ece: 0.05 },
    perClass, confusion,
    skipped: cond.variant === 'sketch' ? [{ id: 'img-broken', reason: 'IMAGE: truncated PNG <bad & "odd">' }] : [],
    timings: { totalSeconds: 1.5, imagesComputed: n, imagesFromCache: 0, imagesPerSecond: n / 1.5 },
    predictionsFile: 'placeholder.jsonl',
  });
}

/** Every synthetic result with its predictions (deterministic for a seed). */
export function syntheticResults(seed = 7, n = 160): { result: Result; predictions: Prediction[] }[] {
  const rng = createRng(seed);
  return RUNS.flatMap((run) =>
    CONDITIONS.map((cond) => {
      const bonus = cond.variant === 'dark' ? run.robustBonus : cond.variant === 'sketch' ? run.robustBonus / 2 : 0;
      const preds = drawPredictions(rng, n, sig(run.idLogit + cond.shiftLogit + bonus));
      return { result: buildResult(run, cond, preds), predictions: preds };
    }));
}

/** Writes the synthetic set with the real result store into a fresh temp dir; returns the dir. */
export async function writeSyntheticResults(seed = 7, n = 160): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'zeroshift-report-'));
  for (const { result, predictions } of syntheticResults(seed, n)) await writeResult(dir, result, predictions);
  return dir;
}
