import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { listCorruptions } from '../../src/shifts/registry.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The table the README's Quickstart shows after "prints a table such as:", as lines. */
function readmeTable(readme: string): string[] {
  const m = /prints a table such as:\n\n```\n([\s\S]*?)```/.exec(readme);
  expect(m, 'README.md: the Quickstart table block').not.toBeNull();
  return m![1].trimEnd().split('\n');
}

const cells = (line: string): string[] => line.trim().split(/\s{2,}/);

/**
 * The README's Quickstart table is the output of `zeroshift eval` on the default suite, so its
 * rows must be what the CLI prints. A cold run of the whole suite (188 units) takes minutes on 2
 * cores, too slow for `npm test`; the test runs the same suite file narrowed to the rows the
 * README shows (same models, n, seed, prompts and ensembling: the same units, so the same
 * numbers), about 1,600 images. The column widths are the whole suite's: only the shift column
 * is wider there, by its longest label. It had drifted before: shift "-" where the CLI prints
 * "none", old column widths.
 */
describe("README's Quickstart table", () => {
  it('is what `zeroshift eval` prints for the default suite', async () => {
    const lines = readmeTable(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const [header, dashes, ...rest] = lines;
    const more = rest.filter((l) => l.startsWith('...'));
    const rows = rest.filter((l) => !l.startsWith('...')).map(cells);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const suite = JSON.parse(readFileSync(join(ROOT, 'benchmarks', 'shapes-robustness.json'), 'utf8')) as {
      name: string; models: string[]; datasets: { family: string; variants: string[] }[]; shifts: { corruptions: string | string[]; severities: number[]; variants: string[] };
    };
    // The suite as shipped, narrowed to the datasets and shifts of the README's rows.
    // A shift cell that is no `corruption:severity` is an unshifted row (whatever the README calls it).
    const shown = rows.map(([, dataset, shift]) => ({ variant: dataset.replace(/^shapes-/, ''), shift: /^[a-z_]+:\d$/.test(shift) ? shift : 'none' }));
    const narrowed = {
      ...suite,
      name: 'readme-rows',
      datasets: [{ ...suite.datasets[0], variants: [...new Set(shown.map((s) => s.variant))] }],
      shifts: {
        ...suite.shifts,
        corruptions: [...new Set(shown.filter((s) => s.shift !== 'none').map((s) => s.shift.split(':')[0]))],
        severities: [...new Set(shown.filter((s) => s.shift !== 'none').map((s) => Number(s.shift.split(':')[1])))],
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'zs-readme-table-'));
    writeFileSync(join(dir, 'suite.json'), JSON.stringify(narrowed));
    const r = await cli(['eval', '--suite', join(dir, 'suite.json'), '--no-cache', '--no-progress', '--out', join(dir, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    const [cliHeader, cliDashes, ...cliRows] = r.stdout.trimEnd().split('\n');
    expect(cells(header)).toEqual(cells(cliHeader));
    const byKey = new Map(cliRows.map(cells).map((c) => [c.slice(0, 4).join(' | '), c]));
    for (const row of rows) expect(byKey.get(row.slice(0, 4).join(' | ')), row.join(' | ')).toEqual(row);

    // Widths: every column as the CLI sizes it, the shift column as wide as the suite's longest label.
    const corruptions = listCorruptions().filter((c) => c.id !== 'frost');
    const longestShift = Math.max(...corruptions.map((c) => `${c.id}:${Math.max(...suite.shifts.severities)}`.length), 'shift'.length);
    const widths = (d: string): number[] => d.split(/\s+/).map((s) => s.length);
    expect(widths(dashes)).toEqual(widths(cliDashes).map((w, i) => (i === 2 ? longestShift : w)));
    // The line that stands for the rest names the suite's own counts (frost needs prepared photographs).
    expect(more).toEqual([expect.stringContaining(`(plus ${corruptions.length} corruptions x ${suite.shifts.severities.length} severities of shapes-${suite.shifts.variants[0]}; frost too once prepared)`)]);
  }, 180_000);
});
