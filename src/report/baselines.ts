import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { ZeroshiftError } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import type { AccuracyPoint } from './effectiveRobustness.js';

/**
 * Reference baselines for effective robustness: published ImageNet results, keyed by the
 * natural-shift dataset. Accuracies are converted to fractions on load.
 */

/** The ImageNet natural shifts both shipped testbeds report. */
export const SHIFT_KEYS = ['imagenetv2', 'imagenet-r', 'imagenet-sketch', 'imagenet-a', 'objectnet'] as const;
export type ShiftKey = (typeof SHIFT_KEYS)[number];

/** Baseline points per shift, with where they came from. */
export interface BaselineSet {
  source: string;
  byShift: Partial<Record<ShiftKey, AccuracyPoint[]>>;
}

interface TestbedColumn {
  id: string;
  ood: string;
  nId: number;
  nOod: number;
}

/**
 * imagenet-testbed columns: the ID column is the ImageNet validation set restricted to the
 * shift's classes where the shift covers only a subset (as in Taori et al.). Sizes are the
 * published test-set sizes, used only for clipping 0 and 100 %.
 */
const TESTBED_COLUMNS: Record<ShiftKey, TestbedColumn> = {
  imagenetv2: { id: 'val', ood: 'imagenetv2-matched-frequency-format-val', nId: 50_000, nOod: 10_000 },
  'imagenet-r': { id: 'val-on-imagenet-r-classes', ood: 'imagenet-r', nId: 10_000, nOod: 30_000 },
  'imagenet-sketch': { id: 'val', ood: 'imagenet-sketch', nId: 50_000, nOod: 50_889 },
  'imagenet-a': { id: 'val-on-imagenet-a-classes', ood: 'imagenet-a', nId: 10_000, nOod: 7_500 },
  objectnet: { id: 'val-on-objectnet-classes', ood: 'objectnet-1.0-beta', nId: 5_650, nOod: 18_574 },
};

/** CLIP_benchmark dataset names (acc1 already a fraction). */
const CLIP_BENCHMARK_DATASETS: Record<ShiftKey, string> = {
  imagenetv2: 'imagenetv2',
  'imagenet-r': 'imagenet-r',
  'imagenet-sketch': 'imagenet_sketch',
  'imagenet-a': 'imagenet-a',
  objectnet: 'objectnet',
};

const TESTBED_FILE = 'data/testbeds/imagenet-testbed-robustness_top1s.csv';
const CLIP_BENCHMARK_FILE = 'data/testbeds/clip_benchmark-benchmark.csv';

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ZeroshiftError('INPUT', `cannot read baseline CSV ${path}: ${(e as Error).message}`);
  }
  const parsed = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const err = parsed.errors[0];
    throw new ZeroshiftError('INPUT', `${path}: CSV error at row ${err.row}: ${err.message}`);
  }
  return parsed.data;
}

/**
 * "Standard" imagenet-testbed models: every row whose name does not contain "clip" (the
 * zero-shot CLIP rows are the models under study, everything else was trained on ImageNet
 * labels, including the robustness interventions and extra-data models the testbed lists).
 */
export function isTestbedStandardModel(model: string): boolean {
  return !/clip/i.test(model);
}

/** Every imagenet-testbed row with both columns present, as fractions; `filter` picks the models. */
export function loadTestbedPoints(shift: ShiftKey, filter: (model: string) => boolean = () => true, root = PACKAGE_ROOT): AccuracyPoint[] {
  const col = TESTBED_COLUMNS[shift];
  const rows = readCsv(join(root, TESTBED_FILE));
  return rows
    .filter((r) => filter(r.model ?? '') && isNumber(r[col.id]) && isNumber(r[col.ood]))
    .map((r) => ({ model: r.model, id: Number(r[col.id]) / 100, ood: Number(r[col.ood]) / 100, nId: col.nId, nOod: col.nOod }));
}

/** imagenet-testbed standard (non-CLIP) models for every shift. */
export function testbedBaseline(root = PACKAGE_ROOT): BaselineSet {
  const byShift: BaselineSet['byShift'] = {};
  for (const s of SHIFT_KEYS) byShift[s] = loadTestbedPoints(s, isTestbedStandardModel, root);
  return { source: 'imagenet-testbed (Taori et al. 2020), non-CLIP models', byShift };
}

/** CLIP_benchmark (LAION) zero-shot CLIP models: ImageNet-1k vs each shift, one point per model + pretrained tag. */
export function clipBenchmarkBaseline(root = PACKAGE_ROOT): BaselineSet {
  const rows = readCsv(join(root, CLIP_BENCHMARK_FILE)).filter((r) => r.task === 'zeroshot_classification');
  const acc = new Map<string, number>();
  for (const r of rows) if (isNumber(r.acc1)) acc.set(`${r.dataset}|${r.model} ${r.pretrained}`, Number(r.acc1));
  const models = [...new Set(rows.map((r) => `${r.model} ${r.pretrained}`))].sort();
  const byShift: BaselineSet['byShift'] = {};
  for (const s of SHIFT_KEYS) {
    byShift[s] = models.flatMap((m) => {
      const id = acc.get(`imagenet1k|${m}`);
      const ood = acc.get(`${CLIP_BENCHMARK_DATASETS[s]}|${m}`);
      return id === undefined || ood === undefined ? [] : [{ model: m, id, ood }];
    });
  }
  return { source: 'CLIP_benchmark (LAION) zero-shot results', byShift };
}

/**
 * A user CSV with columns `model`, `id`, `ood` (fractions, or percents when any value exceeds 1)
 * and optionally `shift` (one of SHIFT_KEYS or a zeroshift shift label); rows without `shift`
 * apply to every shift.
 */
export function fileBaseline(path: string): BaselineSet & { anyShift: AccuracyPoint[]; byLabel: Map<string, AccuracyPoint[]> } {
  const rows = readCsv(path);
  const missing = ['model', 'id', 'ood'].filter((c) => rows.length > 0 && !(c in rows[0]));
  if (rows.length === 0 || missing.length > 0) {
    throw new ZeroshiftError('INPUT', `${path}: baseline CSV needs columns model, id, ood${missing.length ? `; missing: ${missing.join(', ')}` : ' and at least one row'}`);
  }
  const percent = rows.some((r) => Number(r.id) > 1 || Number(r.ood) > 1);
  const anyShift: AccuracyPoint[] = [];
  const byLabel = new Map<string, AccuracyPoint[]>();
  rows.forEach((r, i) => {
    if (!isNumber(r.id) || !isNumber(r.ood)) throw new ZeroshiftError('INPUT', `${path}: row ${i + 2}: id '${r.id}' and ood '${r.ood}' must be numbers`);
    const p = { model: r.model ?? `row ${i + 2}`, id: Number(r.id) / (percent ? 100 : 1), ood: Number(r.ood) / (percent ? 100 : 1) };
    if (r.shift) byLabel.set(r.shift, [...(byLabel.get(r.shift) ?? []), p]);
    else anyShift.push(p);
  });
  const byShift: BaselineSet['byShift'] = {};
  for (const s of SHIFT_KEYS) byShift[s] = [...anyShift, ...(byLabel.get(s) ?? [])];
  return { source: `file ${path}`, byShift, anyShift, byLabel };
}

/**
 * Maps a zeroshift ImageNet-family dataset (name or variant, e.g. `imagenet-r`, `imagenet_sketch`,
 * `v2`) to a testbed shift key, or null when the testbeds do not report it. Other families never
 * map: the shapes world also has a `sketch` variant, unrelated to ImageNet-Sketch.
 */
export function shiftKeyOf(dataset: { name: string; family: string | null; variant: string | null }): ShiftKey | null {
  const inImagenet = dataset.family === 'imagenet' || (dataset.family === null && /imagenet|objectnet/i.test(dataset.name));
  if (!inImagenet) return null;
  for (const name of [dataset.variant ?? '', dataset.name]) {
    const k = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    for (const [key, aliases] of SHIFT_ALIASES) if (aliases.includes(k)) return key;
  }
  return null;
}

const SHIFT_ALIASES: [ShiftKey, string[]][] = [
  ['imagenetv2', ['imagenetv2', 'v2', 'imagenetv2matchedfrequency', 'matchedfrequency']],
  ['imagenet-r', ['imagenetr', 'r', 'rendition', 'imagenetrendition']],
  ['imagenet-sketch', ['imagenetsketch', 'sketch']],
  ['imagenet-a', ['imageneta', 'a']],
  ['objectnet', ['objectnet', 'objectnet10beta']],
];

function isNumber(v: string | undefined): boolean {
  return v !== undefined && v.trim() !== '' && Number.isFinite(Number(v));
}
