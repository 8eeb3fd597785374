import { executionProviderOf, modelLabel, modelVariantKey } from '../results/modelLabel.js';
import type { Result } from '../results/schema.js';
import { shiftText } from './format.js';

/**
 * Naming and grouping of results: a "condition" is a dataset plus an optional synthetic
 * corruption at one severity; a "run" is a model with one prompt set.
 */

/** `dark`, `sketch`, or `standard + gaussian_noise@3`: the variant (or dataset name) and the corruption. */
export function conditionLabel(r: Result): string {
  const base = r.dataset.variant ?? r.dataset.name;
  return r.shift ? `${base} + ${shiftText(r.shift)}` : base;
}

/** Unique key of the condition (dataset name, not just variant, so families never collide). */
export function conditionKey(r: Result): string {
  return r.shift ? `${r.dataset.name}|${r.shift.corruption}|${r.shift.severity}` : r.dataset.name;
}

/** `model · prompts`, with the dtype and provider after the model unless fp32 on cpu (`m (q8) · p`). */
export function runLabel(r: Result): string {
  return `${modelLabel(r.model)} · ${r.prompts.name}`;
}

/** A run's identity in the report: model, dtype, execution provider and prompt set. */
export function runKey(r: Result): string {
  return `${modelVariantKey(r.model)}|${r.prompts.name}`;
}

/** True for the family's in-distribution evaluation: the standard variant with no corruption. */
export function isInDistribution(r: Result): boolean {
  return r.dataset.isStandard && r.shift === null;
}

/**
 * The ID result for `r`: same model, same prompt set, same family (or same dataset when the
 * family is unknown), standard variant, no corruption. Undefined when it was not evaluated.
 */
export function findIdResult(r: Result, all: readonly Result[]): Result | undefined {
  return all.find(
    (o) =>
      isInDistribution(o) &&
      modelVariantKey(o.model) === modelVariantKey(r.model) &&
      o.prompts.name === r.prompts.name &&
      (r.dataset.family !== null ? o.dataset.family === r.dataset.family : o.dataset.name === r.dataset.name),
  );
}

/** The prompt set used by the most results (ties: alphabetical), used where one set must be picked. */
export function primaryPromptSet(results: readonly Result[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.prompts.name, (counts.get(r.prompts.name) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

/** Distinct values in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** Sort order for results: model, prompts, dataset, corruption, severity (deterministic tables). */
export function compareResults(a: Result, b: Result): number {
  return (
    a.model.name.localeCompare(b.model.name) ||
    a.model.dtype.localeCompare(b.model.dtype) ||
    executionProviderOf(a.model).localeCompare(executionProviderOf(b.model)) ||
    a.prompts.name.localeCompare(b.prompts.name) ||
    Number(b.dataset.isStandard) - Number(a.dataset.isStandard) ||
    a.dataset.name.localeCompare(b.dataset.name) ||
    (a.shift?.corruption ?? '').localeCompare(b.shift?.corruption ?? '') ||
    (a.shift?.severity ?? 0) - (b.shift?.severity ?? 0)
  );
}

/** Published -C sets are families' variants named `<dataset>-c-<corruption>-<severity>` (`cifar10-c-fog-3`). */
const C_VARIANT = /-c-([a-z]+(?:-[a-z]+)*)-([1-5])$/;

/**
 * The corruption and severity of a result: its synthetic `--shift`, or the corruption a
 * published -C variant was made with (`cifar10-c-gaussian-noise-3` → gaussian_noise, 3). Null otherwise.
 */
export function corruptionOf(r: Result): { corruption: string; severity: number } | null {
  if (r.shift) return { corruption: r.shift.corruption, severity: r.shift.severity };
  const m = r.dataset.variant ? C_VARIANT.exec(r.dataset.variant) : null;
  return m ? { corruption: m[1].replace(/-/g, '_'), severity: Number(m[2]) } : null;
}
