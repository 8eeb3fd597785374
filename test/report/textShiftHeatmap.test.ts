import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { textShiftSummaries } from '../../src/report/textShiftHeatmap.js';
import { runTaskPlan } from '../helpers/taskRun.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-text-shift-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report: text-shift heatmaps', () => {
  it('a results directory with text-shifted results reports (it had refused two results of one model × dataset × shift × prompts), with a heatmap of relative drops', async () => {
    const out = join(root, 'results');
    const { results } = await runTaskPlan({ datasets: ['shapes:standard?n=48'], shifts: ['contrast:3'], textShifts: ['char_swap:1', 'char_swap:5'], outDir: out, cacheDir: null });
    expect(results).toHaveLength(6);
    const clean = results.find((r) => !r.shift && !r.textShift)!;
    const contrast = results.find((r) => r.shift && !r.textShift)!;
    const swap5 = results.find((r) => !r.shift && r.textShift?.severity === 5)!;
    const both5 = results.find((r) => r.shift && r.textShift?.severity === 5)!;

    const [s] = textShiftSummaries(results);
    expect(s.clean?.id).toBe(clean.id);
    expect(s.rows.map((r) => r.label)).toEqual(['char_swap', 'char_swap · contrast@3']);
    // Drops are relative to the same run without the text shift (under contrast:3, contrast:3 alone).
    expect(s.rows[0].drop[4]).toBeCloseTo((clean.metrics.acc1 - swap5.metrics.acc1) / clean.metrics.acc1, 12);
    expect(s.rows[1].drop[4]).toBeCloseTo((contrast.metrics.acc1 - both5.metrics.acc1) / contrast.metrics.acc1, 12);
    expect(s.rows[0].accuracy.slice(1, 4)).toEqual([null, null, null]);

    const reportDir = join(root, 'report');
    const r = await cli(['report', out, '--out', reportDir]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(reportDir, 'report.md'), 'utf8');
    expect(md).toContain('## Text shifts');
    expect(md).toMatch(/\| char\\_swap \| [\d.]+ \([−+±][\d.]+ %\) \| – \| – \| – \| [\d.]+ \([−+±][\d.]+ %\) \|/);
    const html = readFileSync(join(reportDir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="text-shifts">');
    expect(html).toContain(`data-result-id="${swap5.id}"`);
    // The corruption heatmap still pairs contrast:3 with the clean-text result.
    const corruptions = html.slice(html.indexOf('<section id="corruptions">'), html.indexOf('<section id="text-shifts">'));
    expect(corruptions).not.toContain(swap5.id);
  });
});
