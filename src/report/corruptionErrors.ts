import { modelLabel, modelVariantKey } from '../results/modelLabel.js';
import type { Result } from '../results/schema.js';
import { ALEXNET_CLEAN_ERROR, ALEXNET_MEAN_ERRORS, BENCHMARK_CORRUPTIONS, HELD_OUT_CORRUPTIONS } from './alexnetErrors.js';
import { cleanPartnerOf, corruptedSetOf, type CorruptedSet } from './cleanPairing.js';
import { corruptionOf, runKey } from './conditions.js';

/**
 * ImageNet-C's standard scores (Hendrycks & Dietterich 2019). For model f and corruption c with
 * top-1 errors E_{s,c} at severities s = 1..5:
 *   CE_c          = Σ_s E_{s,c}^f / Σ_s E_{s,c}^norm
 *   relative CE_c = Σ_s (E_{s,c}^f − E_clean^f) / Σ_s (E_{s,c}^norm − E_clean^norm)
 * mCE and relative mCE are the means over the 15 benchmark corruptions; the normaliser is AlexNet
 * on ImageNet and a named baseline model elsewhere. Pure functions; errors are fractions.
 */

const SEVERITY_COUNT = 5;

/** CE_c from the model's per-severity errors and the normaliser's mean error over severities. */
export function corruptionError(errors: readonly number[], normaliserMeanError: number): number {
  return mean(errors) / normaliserMeanError;
}

/** Relative CE_c; null when the normaliser's corrupted error does not exceed its clean error. */
export function relativeCorruptionError(errors: readonly number[], cleanError: number, normaliserMeanError: number, normaliserCleanError: number): number | null {
  const denominator = normaliserMeanError - normaliserCleanError;
  return denominator > 0 ? (mean(errors) - cleanError) / denominator : null;
}

/** Errors (mean over severities 1–5) and clean error the CEs are divided by. */
export interface CorruptionNormaliser {
  /** `AlexNet (published)` or the baseline model's name. */
  label: string;
  meanErrors: ReadonlyMap<string, number>;
  cleanError: number | null;
}

export const ALEXNET_NORMALISER: CorruptionNormaliser = {
  label: 'AlexNet (Hendrycks & Dietterich 2019)',
  meanErrors: new Map(Object.entries(ALEXNET_MEAN_ERRORS)),
  cleanError: ALEXNET_CLEAN_ERROR,
};

/** One corruption of one run: accuracies per severity and the scores derived from them. */
export interface CorruptionScore {
  corruption: string;
  /** Outside mCE: one of ImageNet-C's four held-out corruptions, or not an ImageNet-C corruption. */
  heldOut: boolean;
  /** Top-1 accuracy at severities 1..5 (index 0 = severity 1); null where not evaluated. */
  accuracy: (number | null)[];
  /** Results at severities 1..5, for linking numbers back to their JSON. */
  resultIds: (string | null)[];
  /** Mean error over the five severities; null unless all five were evaluated. */
  meanError: number | null;
  ce: number | null;
  relativeCe: number | null;
}

/** Why a benchmark corruption is not in a summary's mCE. */
export interface MceLeftOut {
  corruption: string;
  /** `not evaluated`, `evaluated at severities 1, 3 only`, `the normaliser … made no errors`, … */
  reason: string;
}

/** Corruption scores of one (model, prompt set) on one corrupted dataset. */
export interface CorruptionSummary {
  model: string;
  prompts: string;
  /** Family (or dataset name) of the corrupted set: picks the normaliser (ImageNet: AlexNet). */
  family: string;
  /** The corrupted set: its own dataset name for a synthetic --shift, the family for published -C variants. */
  dataset: string;
  /** The clean result of that same set (cleanPairing.ts), or null with `cleanNote`. */
  clean: Result | null;
  cleanNote?: string;
  scores: CorruptionScore[];
  normaliser: string | null;
  /** Mean CE over the benchmark corruptions that have one; null when none do. */
  mce: number | null;
  relativeMce: number | null;
  /** Benchmark corruptions averaged into mCE, and the ones left out, each with its reason. */
  mceCorruptions: string[];
  mceMissing: string[];
  mceLeftOut: MceLeftOut[];
  /** Mean top-1 accuracy over every evaluated corruption and severity (`meanCorruptionCount` of them). */
  meanCorruptionAccuracy: number;
  meanCorruptionCount: number;
  /** Why mCE is missing, when it is. */
  note?: string;
}

/** Options: the model whose errors normalise CEs outside ImageNet. */
export interface CorruptionOptions {
  ceBaseline?: string;
}

type Key = string;
interface Group { model: string; modelName: string; variant: string; prompts: string; family: string; set: CorruptedSet; results: Result[] }
const familyOf = (r: Result): string => r.dataset.family ?? r.dataset.name;

/**
 * Groups every corrupted result (a synthetic `--shift`, or a published -C variant such as
 * `cifar10-c-fog-3`) by (model, prompts, corrupted set) and scores it against the clean result
 * of that same set. ImageNet's standard set is normalised by AlexNet's published errors; other
 * sets by `ceBaseline`'s results on the same set (same prompt set when it has one).
 */
export function corruptionSummaries(results: readonly Result[], options: CorruptionOptions = {}): CorruptionSummary[] {
  const groups = new Map<Key, Group>();
  for (const r of results) {
    if (!corruptionOf(r)) continue;
    const set = corruptedSetOf(r);
    const k = `${runKey(r)}|${set.key}`;
    const g = groups.get(k) ?? { model: modelLabel(r.model), modelName: r.model.name, variant: modelVariantKey(r.model), prompts: r.prompts.name, family: familyOf(r), set, results: [] };
    g.results.push(r);
    groups.set(k, g);
  }
  const scored = new Map<Key, { pairing: ReturnType<typeof cleanPartnerOf>; scores: CorruptionScore[] }>();
  for (const [k, g] of groups) scored.set(k, { pairing: cleanPartnerOf(g.results[0], results), scores: scoresOf(g.results) });
  const summaries: CorruptionSummary[] = [];
  for (const [k, g] of groups) {
    const { pairing, scores } = scored.get(k)!;
    const { normaliser, note } = pickNormaliser(g, options, scored, groups);
    summaries.push(summarise(g, pairing, scores, normaliser, note));
  }
  return summaries.sort((a, b) => a.dataset.localeCompare(b.dataset) || a.model.localeCompare(b.model) || a.prompts.localeCompare(b.prompts));
}

function pickNormaliser(
  g: Group, options: CorruptionOptions,
  scored: Map<Key, { pairing: ReturnType<typeof cleanPartnerOf>; scores: CorruptionScore[] }>,
  groups: Map<Key, Group>,
): { normaliser: CorruptionNormaliser | null; note?: string } {
  if (g.family === 'imagenet' && g.set.isStandard) return { normaliser: ALEXNET_NORMALISER };
  const base = options.ceBaseline;
  const published = g.family === 'imagenet' ? ` (AlexNet's published errors are for ImageNet's own validation set, not ${g.set.label})` : ' (only ImageNet has a published normaliser)';
  if (!base) return { normaliser: null, note: `no CE baseline for ${g.set.label}: pass --ce-baseline MODEL or name ceBaseline in the suite${published}` };
  // The baseline is named by model (any dtype or provider) or by its label (`base (q8)`); the same dtype and provider are preferred.
  const candidates = [...groups.entries()].filter(([, o]) => (o.model === base || o.modelName === base) && o.set.key === g.set.key)
    .sort(([, a], [, b]) => Number(b.variant === g.variant) - Number(a.variant === g.variant));
  const chosen = candidates.find(([, o]) => o.prompts === g.prompts) ?? candidates[0];
  if (!chosen) return { normaliser: null, note: `CE baseline ${base} has no corrupted results on ${g.set.label}` };
  const { pairing, scores } = scored.get(chosen[0])!;
  const meanErrors = new Map(scores.filter((s) => s.meanError !== null).map((s) => [s.corruption, s.meanError!] as const));
  return { normaliser: { label: chosen[1].prompts === g.prompts ? base : `${base} (prompts ${chosen[1].prompts})`, meanErrors, cleanError: pairing.clean ? 1 - pairing.clean.metrics.acc1 : null } };
}

function scoresOf(results: readonly Result[]): CorruptionScore[] {
  const byCorruption = new Map<string, CorruptionScore>();
  for (const r of results) {
    const c = corruptionOf(r)!;
    const s = byCorruption.get(c.corruption) ?? {
      corruption: c.corruption, heldOut: !BENCHMARK_CORRUPTIONS.includes(c.corruption),
      accuracy: new Array<number | null>(SEVERITY_COUNT).fill(null), resultIds: new Array<string | null>(SEVERITY_COUNT).fill(null),
      meanError: null, ce: null, relativeCe: null,
    };
    s.accuracy[c.severity - 1] = r.metrics.acc1;
    s.resultIds[c.severity - 1] = r.id;
    byCorruption.set(c.corruption, s);
  }
  for (const s of byCorruption.values()) {
    if (s.accuracy.every((a) => a !== null)) s.meanError = mean(s.accuracy.map((a) => 1 - a));
  }
  return [...byCorruption.values()].sort((a, b) => corruptionOrder(a.corruption) - corruptionOrder(b.corruption) || a.corruption.localeCompare(b.corruption));
}

/** ImageNet-C's order: the 15 benchmark corruptions, the 4 held-out ones, then anything else. */
export function corruptionOrder(corruption: string): number {
  const i = BENCHMARK_CORRUPTIONS.indexOf(corruption);
  if (i >= 0) return i;
  const j = HELD_OUT_CORRUPTIONS.indexOf(corruption);
  return j >= 0 ? BENCHMARK_CORRUPTIONS.length + j : 100;
}

function summarise(g: Group, pairing: ReturnType<typeof cleanPartnerOf>, scores: CorruptionScore[], normaliser: CorruptionNormaliser | null, note?: string): CorruptionSummary {
  const clean = pairing.clean;
  const cleanError = clean ? 1 - clean.metrics.acc1 : null;
  for (const s of scores) {
    const norm = normaliser?.meanErrors.get(s.corruption);
    // A normaliser without errors on a corruption (100 % at every severity) defines no ratio.
    if (s.meanError === null || norm === undefined || !(norm > 0)) continue;
    const errors = s.accuracy.map((a) => 1 - a!);
    s.ce = corruptionError(errors, norm);
    if (cleanError !== null && normaliser!.cleanError !== null) s.relativeCe = relativeCorruptionError(errors, cleanError, norm, normaliser!.cleanError);
  }
  const inMce = scores.filter((s) => !s.heldOut && s.ce !== null);
  const evaluated = new Set(inMce.map((s) => s.corruption));
  const accuracies = scores.flatMap((s) => s.accuracy.filter((a): a is number => a !== null));
  const relative = inMce.map((s) => s.relativeCe);
  const leftOut = BENCHMARK_CORRUPTIONS.filter((c) => !evaluated.has(c)).map((c) => ({ corruption: c, reason: leftOutReason(c, scores, normaliser) }));
  return {
    model: g.model, prompts: g.prompts, family: g.family, dataset: g.set.label, clean, ...(pairing.reason ? { cleanNote: pairing.reason } : {}), scores,
    normaliser: normaliser?.label ?? null,
    mce: inMce.length ? mean(inMce.map((s) => s.ce!)) : null,
    relativeMce: inMce.length && relative.every((v) => v !== null) ? mean(relative as number[]) : null,
    mceCorruptions: inMce.map((s) => s.corruption),
    mceMissing: leftOut.map((l) => l.corruption),
    mceLeftOut: leftOut,
    meanCorruptionAccuracy: mean(accuracies),
    meanCorruptionCount: accuracies.length,
    note: note ?? (normaliser && inMce.length === 0 ? `no benchmark corruption evaluated at all 5 severities by both ${g.model} and ${normaliser.label}` : undefined),
  };
}

/** Why benchmark corruption `c` has no CE: what the model evaluated, then what the normaliser has. */
function leftOutReason(c: string, scores: readonly CorruptionScore[], normaliser: CorruptionNormaliser | null): string {
  const own = scores.find((s) => s.corruption === c);
  if (!own) return 'not evaluated';
  const at = own.accuracy.flatMap((a, i) => (a === null ? [] : [i + 1]));
  if (at.length < SEVERITY_COUNT) return `evaluated at severit${at.length === 1 ? 'y' : 'ies'} ${at.join(', ')} only (mCE needs all five)`;
  if (!normaliser) return 'no normaliser';
  const norm = normaliser.meanErrors.get(c);
  if (norm === undefined) return `${normaliser.label} was not evaluated on it at all five severities`;
  return `${normaliser.label} made no errors on it (CE would divide by zero)`;
}

/**
 * "11 of 15 benchmark corruptions" with what was left out and why, grouped by reason:
 * the one sentence every table, heatmap and note uses to say what an mCE averages.
 */
export function mceCoverage(s: CorruptionSummary): string {
  const head = `mCE of ${s.model} · ${s.prompts} on ${s.dataset} averages ${s.mceCorruptions.length} of ImageNet-C's ${BENCHMARK_CORRUPTIONS.length} benchmark corruptions`;
  if (s.mceLeftOut.length === 0) return `${head}.`;
  const byReason = new Map<string, string[]>();
  for (const l of s.mceLeftOut) byReason.set(l.reason, [...(byReason.get(l.reason) ?? []), l.corruption]);
  return `${head}; left out: ${[...byReason].map(([reason, cs]) => `${cs.join(', ')} (${reason})`).join('; ')}.`;
}

function mean(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}
