import type { Dataset } from '../datasets/types.js';
import type { Result } from '../results/schema.js';
import { shellQuote } from '../util/shellQuote.js';

/** The command that lists a dataset's samples and skipped items. */
function showCommand(spec: string, samples?: number): string {
  return `zeroshift datasets show ${shellQuote(spec)}${samples !== undefined ? ` --samples ${samples}` : ''}`;
}

/**
 * The warnings datasets gave when opened (unusable entries in a folder, a manifest decoded
 * with replacement characters), once per dataset spec whatever the number of units and
 * shifts that use it, each with the command that lists the details.
 */
export async function datasetOpenWarnings(specs: readonly string[], open: (spec: string) => Promise<Dataset>): Promise<string[]> {
  const lines: string[] = [];
  for (const spec of new Set(specs)) {
    const ds = await open(spec);
    for (const w of ds.warnings ?? []) lines.push(`${w}; the list: ${showCommand(spec)}`);
  }
  return lines;
}

/**
 * One line per dataset whose results skipped items: the distinct items skipped over all its
 * units (each shift of a dataset skips the same damaged files, so they are counted once), the
 * first reason, and where they are listed (`datasets show` reads without decoding, so it lists
 * unusable files and damaged records but not images that fail to decode).
 */
export function skippedItemNotes(results: readonly Pick<Result, 'dataset' | 'skipped' | 'metrics'>[]): string[] {
  const byDataset = new Map<string, { name: string; ids: Set<string>; first: { id: string; reason: string }; total: number }>();
  for (const r of results) {
    if (r.skipped.length === 0) continue;
    const entry = byDataset.get(r.dataset.spec) ?? { name: r.dataset.name, ids: new Set<string>(), first: r.skipped[0], total: 0 };
    for (const s of r.skipped) entry.ids.add(s.id);
    entry.total = Math.max(entry.total, r.metrics.n + r.skipped.length);
    byDataset.set(r.dataset.spec, entry);
  }
  return [...byDataset].map(([spec, e]) =>
    `${e.name}: ${e.ids.size} item(s) skipped (first: ${e.first.id}: ${e.first.reason}); all are listed in the results' "skipped", and those found without decoding by: ${showCommand(spec, e.total)}`,
  );
}
