/** Every summary aggregate names what it averages; the headline ranks only comparable ones. */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { corruptionSummaries } from '../../src/report/corruptionErrors.js';
import { coverage, headlineText, pickHeadline } from '../../src/report/headline.js';
import { modelSummaryRows } from '../../src/report/modelSummary.js';
import { robustnessGroups } from '../../src/report/robustnessTable.js';
import { writeReport } from '../../src/report/writeReport.js';
import type { Result } from '../../src/results/schema.js';
import { makeResult } from './resultFactory.js';

/**
 * A, B, C are evaluated on shapes-dark and shapes-sketch; D only on shapes-dark, where it is far
 * above the line. D's mean ER averages 1 of 2 shifts, the others' 2 of 2.
 */
function results(): Result[] {
  const runs: [string, number, number | null, number | null][] = [
    ['A', 0.6, 0.3, 0.35], ['B', 0.7, 0.4, 0.42], ['C', 0.8, 0.5, 0.5], ['D', 0.75, 0.74, null],
  ];
  return runs.flatMap(([model, id, dark, sketch]) => [
    makeResult({ model, acc1: id }),
    ...(dark === null ? [] : [makeResult({ model, variant: 'dark', acc1: dark })]),
    ...(sketch === null ? [] : [makeResult({ model, variant: 'sketch', acc1: sketch })]),
  ]);
}

const analysis = { transform: 'logit' as const, replicates: 0, seed: 0 };

describe('aggregates that say what they average', () => {
  it('names the shifts and the count each mean covers', () => {
    const rs = results();
    const rows = modelSummaryRows(rs, robustnessGroups(rs, 'own', undefined, [], analysis), corruptionSummaries(rs));
    const d = rows.find((r) => r.model === 'D')!;
    expect(d.familyShifts).toEqual(['shapes-dark', 'shapes-sketch']);
    expect(d.erShifts).toEqual(['shapes-dark']);
    expect(coverage(d.erShifts, d.familyShifts)).toBe('1 of 2 shifts (shapes-dark)');
    expect(rows.find((r) => r.model === 'A')!.erShifts).toEqual(['shapes-dark', 'shapes-sketch']);
  });

  it('the headline ranks only models whose ER averages the same shifts, and says who was left out', () => {
    const rs = results();
    const rows = modelSummaryRows(rs, robustnessGroups(rs, 'own', undefined, [], analysis), corruptionSummaries(rs));
    // D has the largest mean ER, but over 1 shift of 2.
    const d = rows.find((r) => r.model === 'D')!;
    expect(rows.filter((r) => r.model !== 'D').every((r) => r.meanEr! < d.meanEr!)).toBe(true);
    const h = pickHeadline(rows)!;
    expect(h.ranked.map((r) => r.model)).not.toContain('D');
    expect(h.unranked.map((r) => r.model)).toEqual(['D']);
    const text = headlineText(h, (s) => `*${s}*`, (s) => s);
    expect(text).toMatch(new RegExp(`^Most effectively robust: \\*${h.ranked[0].model}\\*, [+−-]\\d+\\.\\d points above the baseline line on average, ER on 2 of 2 shifts \\(shapes-dark, shapes-sketch\\) of shapes; next: `));
    expect(text).toMatch(/Not ranked against them, because their ER averages other shifts: \*D\* \(shapes: ER on 1 of 2 shifts \(shapes-dark\)\)\.$/);
  });

  it('report.html, report.md and summary.csv carry the counts; no line says "fewer than two" while another says "at least 3"', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'zs-headline-')), 'report');
    const written = await writeReport(results(), { outDir, replicates: 0 });
    const html = await readFile(written.html, 'utf8');
    expect(html).toMatch(/<p class="takeaway">Most effectively robust: <strong>[ABC]<\/strong>.*ER on 2 of 2 shifts \(shapes-dark, shapes-sketch\) of shapes.*Not ranked against them.*<strong>D<\/strong>/);
    expect(html).toMatch(/data-metric="meanEffectiveRobustness"[^>]*>[^<]*<span class="ci over">on 1 of 2 shifts \(shapes-dark\)<\/span>/);
    expect(html).toMatch(/data-metric="meanOodAcc1"[^>]*>[^<]*<span class="ci over">on 2 of 2 shifts \(shapes-dark, shapes-sketch\)<\/span>/);
    expect(html).toContain('not comparable, so sorting by them is not a ranking');
    expect(html).not.toMatch(/fewer than two/);
    const md = await readFile(written.md, 'utf8');
    expect(md).toMatch(/Most effectively robust: \*\*[ABC]\*\*/);
    expect(md).toMatch(/\| D \|.*\(on 1 of 2 shifts \(shapes-dark\)\)/);
    const csv = Papa.parse<Record<string, string>>(await readFile(written.csv, 'utf8'), { header: true, skipEmptyLines: true }).data;
    const dId = csv.find((r) => r.model === 'D' && r.variant === 'standard')!;
    expect([dId.mean_er_shifts, dId.mean_er_count, dId.mean_ood_count]).toEqual(['shapes-dark', '1 of 2', '1 of 2']);
    expect(Number(dId.mean_effective_robustness)).toBeGreaterThan(0);
    const aId = csv.find((r) => r.model === 'A' && r.variant === 'standard')!;
    expect([aId.mean_er_shifts, aId.mean_er_count]).toEqual(['shapes-dark;shapes-sketch', '2 of 2']);
  });

  it('a report without a line says a line needs at least 3 baseline models', async () => {
    const two = results().filter((r) => r.model.name === 'A' || r.model.name === 'B');
    const outDir = join(mkdtempSync(join(tmpdir(), 'zs-headline-')), 'report');
    const html = await readFile((await writeReport(two, { outDir, replicates: 0 })).html, 'utf8');
    expect(html).toContain('needs at least 3 baseline models with distinct ID accuracy');
    expect(html).not.toMatch(/fewer than two/);
    const { renderHtml } = await import('../../src/report/html.js');
    // With no chart at all, the section's own note gives the same minimum.
    const bare = renderHtml({ title: 't', generatedAt: 'now', results: two, groups: robustnessGroups(two, 'own', undefined, [], analysis), charts: [], gallery: [], thumbnailsEnabled: false, summary: [], corruption: [], analysis });
    expect(bare).toContain('a line needs at least 3 baseline models with distinct ID accuracy');
    expect(bare).not.toMatch(/fewer than two/);
  });
});
