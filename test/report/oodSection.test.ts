import { describe, expect, it } from 'vitest';
import { oodRocCharts, oodTables } from '../../src/report/oodSection.js';
import { taskSectionHtml } from '../../src/report/taskSection.js';
import type { ReportChart } from '../../src/report/reportContent.js';
import type { TaskResult } from '../../src/results/envelope.js';

function oodResult(model: string, ood: string, shift: TaskResult['shift'], idScores: number[], oodScores: number[]): TaskResult {
  return {
    task: 'zeroshot_ood', model: { name: model }, partial: false, shift,
    dataset: { name: 'shapes-id', fingerprint: 'f', spec: 's', adapter: 'folder' },
    ood: {
      dataset: { name: ood, fingerprint: 'g', spec: 't', adapter: 'folder' }, score: 'mcm', temperature: 1,
      nId: idScores.length, nOod: oodScores.length, idTop1: 0.5, idTop1Ci: [0.1, 0.9],
      auroc: 5 / 6, aurocCi: [0.468, 1], fpr95: 0.5, fpr95Threshold: 0.5, auprIn: 0.8333, auprOut: 0.75, idScores, oodScores,
    },
  } as unknown as TaskResult;
}

describe('OOD report section', () => {
  const a = oodResult('m1', 'unseen', null, [0.9, 0.5, 0.5], [0.5, 0.1]);
  const b = oodResult('m1', 'unseen', { corruption: 'contrast', severity: 3 }, [0.9, 0.5, 0.5], [0.5, 0.1]);
  const c = oodResult('m2', 'far', null, [0.9, 0.5, 0.5], [0.5, 0.1]);

  it('one table per model, one row per pair, with AUROC CI, FPR@95, AUPRs and ID top-1 in per cent', () => {
    const tables = oodTables([a, b, c]);
    expect(tables.map((t) => t.title)).toEqual(['Zero-shot OOD detection · m1', 'Zero-shot OOD detection · m2']);
    expect(tables[0].rows).toEqual([
      ['shapes-id', 'unseen', 'none', 'mcm (1)', '3 / 2', '83.3 [46.8, 100.0]', '50.0', '83.3', '75.0', '50.0 [10.0, 90.0]', ''],
      ['shapes-id', 'unseen', 'contrast@3', 'mcm (1)', '3 / 2', '83.3 [46.8, 100.0]', '50.0', '83.3', '75.0', '50.0 [10.0, 90.0]', ''],
    ]);
    expect(tables[0].chart).toBe('ood-roc-m1');
  });

  it('ROC charts per model from the kept scores (every distinct threshold), with the chance line', () => {
    const charts = oodRocCharts([a, b, c]);
    expect(charts.map((x) => [x.name, x.placement])).toEqual([['ood-roc-m1', 'tasks'], ['ood-roc-m2', 'tasks']]);
    const ds = charts[0].config.data.datasets;
    expect(ds.map((d) => d.label)).toEqual(['shapes-id vs unseen · mcm (AUROC 83.3)', 'shapes-id vs unseen · mcm · contrast@3 (AUROC 83.3)', 'chance']);
    // Thresholds 0.9, 0.5, 0.1: (0,0) (0,33.3) (50,100) (100,100).
    expect(ds[0].data).toEqual([{ x: 0, y: 0 }, { x: 0, y: 100 * (1 / 3) }, { x: 50, y: 100 }, { x: 100, y: 100 }]);
  });

  it('a long curve is thinned to at most 200 points, ending at (100, 100)', () => {
    const id = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const ood = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000 - 0.2);
    const data = oodRocCharts([oodResult('m', 'o', null, id, ood)])[0].config.data.datasets[0].data as { x: number; y: number }[];
    expect(data.length).toBeLessThanOrEqual(201);
    expect(data[0]).toEqual({ x: 0, y: 0 });
    expect(data[data.length - 1]).toEqual({ x: 100, y: 100 });
    for (let i = 1; i < data.length; i++) expect(data[i].x).toBeGreaterThanOrEqual(data[i - 1].x);
  });

  it('report.html shows the chart under its table', () => {
    const [t] = oodTables([a]);
    const chart = { spec: oodRocCharts([a])[0], pngFile: 'charts/ood-roc-m1.png', svgFile: 'charts/ood-roc-m1.svg', pngDataUri: 'data:image/png;base64,AAAA' } as ReportChart;
    const html = taskSectionHtml([t], [chart]);
    expect(html).toMatch(/<section id="ood-roc-m1">.*<\/table><\/div><figure><img src="data:image\/png;base64,AAAA"/s);
    expect(taskSectionHtml([t], [])).not.toContain('<figure>');
  });
});
