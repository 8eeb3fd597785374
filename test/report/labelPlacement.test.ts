import { describe, expect, it } from 'vitest';
import { boxesOverlap, markerBox, placeLabels, type Box } from '../../src/report/charts/labelPlacement.js';
import { effectiveRobustnessChart } from '../../src/report/charts/effectiveRobustnessChart.js';
import { renderChart } from '../../src/report/charts/render.js';
import { robustnessGroups } from '../../src/report/robustnessTable.js';
import { makeResult } from './resultFactory.js';

const AREA: Box = { x: 0, y: 0, w: 400, h: 300 };

describe('placeLabels', () => {
  it('puts a lone label beside its point, clear of its own marker', () => {
    const [p] = placeLabels([{ px: 100, py: 100, r: 8, w: 60, h: 14 }], [markerBox(100, 100, 8)], AREA);
    expect(p).toEqual({ box: { x: 112, y: 93, w: 60, h: 14 }, leader: false });
  });

  it('moves labels of a tight cluster apart (leader lines where needed), crossing no marker and no label', () => {
    // Five points 6 px apart on a diagonal: the labels beside them would cross each other and the markers.
    const pts = [0, 1, 2, 3, 4].map((i) => ({ px: 200 + 6 * i, py: 150 + 6 * i, r: 8, w: 120, h: 14 }));
    const markers = pts.map((p) => markerBox(p.px, p.py, p.r));
    const placed = placeLabels(pts, markers, AREA);
    expect(placed.every((p) => p !== null)).toBe(true);
    const boxes = placed.map((p) => p!.box);
    expect(placed.some((p) => p!.leader)).toBe(true);
    for (const [i, b] of boxes.entries()) {
      expect(b.x >= AREA.x && b.y >= AREA.y && b.x + b.w <= AREA.w && b.y + b.h <= AREA.h).toBe(true);
      for (const m of markers) expect(boxesOverlap(b, m)).toBe(false);
      for (const c of boxes.slice(0, i)) expect(boxesOverlap(b, c)).toBe(false);
    }
  });

  it('gives null when no place is free (the chart then numbers its points)', () => {
    const full: Box = { x: 0, y: 0, w: 400, h: 300 };
    expect(placeLabels([{ px: 100, py: 100, r: 8, w: 60, h: 14 }], [full], AREA)).toEqual([null]);
  });
});

describe('a crowded effective-robustness chart', () => {
  it('numbers its points and names them in the legend when the labels find no free place', () => {
    // 17 models within a few points of each other: too many long labels for the space around them.
    const results = Array.from({ length: 17 }, (_, k) => {
      const acc = 0.6 + 0.004 * k;
      const model = `a-model-with-a-rather-long-name-${k}`;
      return [makeResult({ model, acc1: acc, n: 1000 }), makeResult({ model, variant: 'dark', acc1: acc - 0.2 + 0.003 * (k % 3), n: 1000 })];
    }).flat();
    const [group] = robustnessGroups(results, 'own', undefined, [], { transform: 'logit', replicates: 20, seed: 1 });
    const spec = effectiveRobustnessChart(group, 0)!;
    const drawn = renderChart(spec).spec;
    expect(drawn.caption).toContain('the points are numbered and the legend gives each number');
    expect(drawn.height).toBeGreaterThan(spec.height);
    const labels = (drawn.config.data.datasets as { label?: string }[]).map((d) => d.label ?? '');
    // Every model gets a legend entry: its number, name and ER with CI.
    const numbered = labels.filter((l) => /^\d+ a-model-with-a-rather-long-name-\d+ [+−]\d+\.\d \[/.test(l));
    expect(numbered).toHaveLength(17);
    expect(numbered.map((l) => Number(l.split(' ')[0]))).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  it('keeps direct labels when they fit', () => {
    const results = [0.3, 0.5, 0.7].flatMap((acc, k) => [makeResult({ model: `m${k}`, acc1: acc, n: 1000 }), makeResult({ model: `m${k}`, variant: 'dark', acc1: acc * 0.8, n: 1000 })]);
    const [group] = robustnessGroups(results, 'own', undefined, [], { transform: 'logit', replicates: 20, seed: 1 });
    const spec = effectiveRobustnessChart(group, 0)!;
    const drawn = renderChart(spec).spec;
    expect(drawn.height).toBe(spec.height);
    expect((drawn.config.data.datasets as { label?: string }[]).filter((d) => /^\d+ m\d/.test(d.label ?? ''))).toEqual([]);
  });
});
