import { describe, expect, it } from 'vitest';
import { datacompAverages, loadDatacompTaskList } from '../../src/eval/datacomp.js';

describe('benchmarks/datacomp-38.json', () => {
  const list = loadDatacompTaskList();
  it('lists 38 tasks with DataComp group sizes (dist. shifts 6, VTAB 13, retrieval 3) naming listed tasks', () => {
    expect(list.tasks).toHaveLength(38);
    expect((list.averages['ImageNet dist. shifts'] as string[]).length).toBe(6);
    expect((list.averages.VTAB as string[]).length).toBe(13);
    expect((list.averages.Retrieval as string[]).length).toBe(3);
    const names = new Set(list.tasks.map((t) => t.name));
    for (const g of Object.values(list.averages)) if (Array.isArray(g)) for (const n of g) expect(names.has(n)).toBe(true);
    for (const t of list.tasks) expect(Object.keys(list.mainMetrics)).toContain(t.mainMetric);
    expect(list.tasks.find((t) => t.id === 'fairness/dollar_street')!.mainMetric).toBe('acc_top5_wg');
  });

  it('averages as aggregate_scores.py: plain means, undefined while a task is missing', () => {
    const scores = new Map(list.tasks.map((t, i) => [t.name, i / 100]));
    const { averages, missing } = datacompAverages(list, scores);
    expect(missing).toEqual([]);
    const idx = (n: string) => list.tasks.findIndex((t) => t.name === n) / 100;
    expect(averages.ImageNet).toBe(idx('ImageNet 1k'));
    expect(averages.Retrieval).toBeCloseTo((idx('Flickr') + idx('MSCOCO') + idx('WinoGAViL')) / 3, 15);
    expect(averages.Average).toBeCloseTo((37 * 38) / 2 / 100 / 38, 15);
    scores.delete('Flickr');
    const partial = datacompAverages(list, scores);
    expect(partial.missing).toEqual(['Flickr']);
    expect(partial.averages.Retrieval).toBeUndefined();
    expect(partial.averages.VTAB).toBeDefined();
  });
});
