import type { Dataset } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import { providerIdentity } from '../model/executionProvider.js';
import type { PromptInfo } from '../results/schema.js';
import { buildClassifier, promptHash, displayName, type ClassName, type PromptSelection } from '../prompts/index.js';
import { readClassifier, writeClassifier } from '../cache/classifierCache.js';
import { hashValue } from '../util/hash.js';
import type { Logger } from '../util/log.js';
import type { EvalUnit, PromptRef } from './unit.js';
import type { TextShifter } from '../textShifts/registry.js';

/**
 * A unit's prompts: the selection, and under a text shift the class names the text tower reads
 * (`readNames`: each name, every synonym, perturbed once, seeded by (class index, name, shift);
 * the templates' own words are never perturbed).
 */
export type UnitPrompts = PromptSelection & { readNames?: ClassName[] };

/** The class names under a text shift: each synonym of class k perturbed as a text of item `k`. */
export function shiftClassNames(names: readonly ClassName[], shiftText: TextShifter): ClassName[] {
  return names.map((n, k) => (typeof n === 'string' ? shiftText(n, String(k)) : n.map((s) => shiftText(s, String(k)))));
}

/** A zero-shot classifier ready to score: (rows, D) L2-normalised weights and what built it. */
export interface BuiltClassifier {
  weights: Float32Array;
  rows: number;
  /** Display names of the rows (first synonym). */
  classNames: string[];
  prompt: PromptInfo;
  /** Texts embedded for it (class names × templates, plus per-class sentences): computed now, or 0 and `cached` when read from the classifier cache. */
  texts: { computed: number; cached: number };
}

export interface ClassifierContext {
  model: ClipModel;
  dataset: Dataset;
  cacheDir: string | null;
  log: Logger;
}

/**
 * The name a prompt-set reference's results are recorded (and their files named) under, and
 * the hash that identifies its classifier: known from the selected prompts alone, before any
 * text tower runs.
 */
export function promptIdentity(ref: PromptRef | undefined, sel: UnitPrompts, unit: EvalUnit): { name: string; hash: string } {
  // The names the text tower reads: under a text shift the hash (and so the result id and the classifier cache key) covers the perturbed names.
  return { name: ref?.name ?? sel.name, hash: promptHash(sel.templates, sel.readNames ?? sel.classNames, unit.ensembling, sel.classPrompts) };
}

/** The prompt-set references of a unit: its sets, or the automatic choice (undefined). */
export function promptRefsOf(unit: EvalUnit): (PromptRef | undefined)[] {
  // Task units embed their own texts (captions, a task's templates): no prompt set rides along.
  if (unit.task) return [];
  return unit.promptSets.length > 0 ? unit.promptSets : [undefined];
}

/**
 * Builds the classifier of one prompt-set reference (undefined = automatic choice) from its
 * selected prompts (see PlanResources.prompts), reusing the classifier cache keyed by (text
 * tower, tokenizer, prompt hash): this is where the text tower runs. The classifier spans the
 * target's class space (the full 1000 ImageNet classes for a subset variant), so class subsets
 * are applied when scoring.
 */
export async function classifierFor(ref: PromptRef | undefined, sel: UnitPrompts, unit: EvalUnit, ctx: ClassifierContext): Promise<BuiltClassifier> {
  const rule = unit.ensembling;
  const { name, hash } = promptIdentity(ref, sel, unit);
  const mismatch = unit.target.classSpace ? null : classNameMismatch(sel.classNames.map((c: ClassName) => displayName(c)), ctx.dataset.classNames);
  if (mismatch) ctx.log.warn(`prompt set '${name}' names the classes of ${ctx.dataset.name} differently (${mismatch}); results keep the dataset's names and record the set's under prompts.classNames`);
  const read = sel.readNames ?? sel.classNames;
  const { weights, fromCache } = await cachedWeights(sel.readNames ? { ...sel, classNames: sel.readNames } : sel, rule, hash, ctx);
  const count = sel.classNames.length * sel.templates.length + (sel.classPrompts?.reduce((n, texts) => n + texts.length, 0) ?? 0);
  return {
    weights,
    texts: fromCache ? { computed: 0, cached: count } : { computed: count, cached: 0 },
    rows: sel.classNames.length,
    classNames: sel.classNames.map((c: ClassName) => displayName(c)),
    // classNames: the names the prompts were filled with (the perturbed ones under a text shift).
    prompt: {
      name, source: sel.source, templates: sel.templates, ensembling: rule, hash, classNames: read.map((c: ClassName) => displayName(c)),
      ...(ref?.language === undefined ? {} : { language: ref.language }),
      ...(sel.classPrompts ? { classPrompts: { texts: sel.classPrompts.reduce((n, texts) => n + texts.length, 0), sha256: hashValue(sel.classPrompts) } } : {}),
    },
  };
}

async function cachedWeights(sel: PromptSelection, rule: 'clip' | 'testbed', hash: string, ctx: ClassifierContext): Promise<{ weights: Float32Array; fromCache: boolean }> {
  const { classNames, templates, classPrompts } = sel;
  const { model } = ctx;
  const key = hashValue({ text: model.info.hashes.textModel, tokenizer: model.info.hashes.tokenizer, contextLength: model.info.contextLength, prompts: hash, ...providerIdentity(model.info) }).slice(0, 40);
  if (ctx.cacheDir) {
    const hit = await readClassifier(ctx.cacheDir, key, ctx.log);
    if (hit && hit.rows === classNames.length && hit.dim === model.info.embedDim) return { weights: hit.weights, fromCache: true };
  }
  const weights = await buildClassifier((t) => model.encodeText(t), model.info.embedDim, classNames, templates, rule, {
    classPrompts,
    encodeTextRaw: model.encodeTextRaw ? (t) => model.encodeTextRaw!(t) : undefined,
  });
  if (ctx.cacheDir) await writeClassifier(ctx.cacheDir, key, weights, classNames.length, model.info.embedDim, ctx.log);
  return { weights, fromCache: false };
}

/** Dataset class names that are identifiers (WordNet ids, numeric folders), named only by a prompt set. */
export function idLikeClassNames(names: readonly string[]): boolean {
  return names.length > 0 && names.every((n) => /^n\d{8}$/.test(n) || /^\d+$/.test(n));
}

/**
 * How a prompt set's class names differ from the dataset's, or null when they agree (ignoring
 * case, `_`/`-` versus spaces) or the dataset's names are identifiers the set is meant to name.
 * Says "prompt set: a, b, … vs dataset: c, d, …" from the first differing position.
 */
export function classNameMismatch(promptNames: readonly string[], datasetNames: readonly string[]): string | null {
  if (idLikeClassNames(datasetNames)) return null;
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]+/g, ' ').trim();
  const first = promptNames.findIndex((n, i) => norm(n) !== norm(datasetNames[i] ?? ''));
  if (first < 0 && promptNames.length === datasetNames.length) return null;
  const at = Math.max(0, first);
  const show = (xs: readonly string[]): string => `${xs.slice(at, at + 3).map((x) => `'${x}'`).join(', ')}${xs.length > at + 3 ? ', …' : ''}`;
  return `from class ${at}: prompt set ${show(promptNames)} (${promptNames.length}) vs dataset ${show(datasetNames)} (${datasetNames.length})`;
}
