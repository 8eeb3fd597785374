import { describe, expect, it } from 'vitest';
import { shapesAdapter } from '../../../src/datasets/shapes/adapter.js';
import type { Dataset, Sample } from '../../../src/datasets/types.js';
import { collectSamples } from '../../helpers/samples.js';

const open = (arg: string, options: Record<string, string> = {}): Promise<Dataset> =>
  shapesAdapter.open({ adapter: 'shapes', arg, options });


describe('shapes adapter', () => {
  it('streams n lazily rendered images with ids, labels and scene metadata', async () => {
    const ds = await open('dark', { n: '12', seed: '3' });
    expect(ds.spec).toBe('shapes:dark?n=12&seed=3&task=shape&size=64');
    expect(ds.name).toBe('shapes-dark');
    expect(ds.promptKey).toBe('shapes-shape');
    expect(ds.classNames).toEqual(['circle', 'square', 'triangle', 'pentagon', 'hexagon', 'star', 'cross', 'diamond']);
    const samples = await collectSamples(ds);
    expect(samples).toHaveLength(12);
    expect(samples[5].id).toBe('shapes-dark-000005');
    for (const s of samples) {
      expect(s.image.kind).toBe('generated');
      if (s.image.kind === 'generated') expect(s.image.key).toBe(`${ds.fingerprint}/${Number(s.id.slice(-6))}`);
      expect(ds.classNames[s.label]).toBe(s.metadata?.shape);
    }
    // restartable: a second pass yields the same bytes
    const again = await collectSamples(ds);
    const pixels = (s: (typeof samples)[number]) => (s.image.kind === 'generated' ? s.image.render() : null);
    expect(pixels(again[7])).toEqual(pixels(samples[7]));
    expect(pixels(again[7])!.data.length).toBe(64 * 64 * 3);
  });

  it('labels colour tasks as WORLD.md names them (colour-major for color_shape)', async () => {
    const cs = await open('standard', { n: '30', task: 'color_shape' });
    expect(cs.classNames).toHaveLength(64);
    expect(cs.classNames[9]).toBe('orange square');
    for (const s of await collectSamples(cs)) expect(cs.classNames[s.label]).toBe(`${s.metadata?.color} ${s.metadata?.shape}`);
    const c = await open('heldout', { n: '10', task: 'color' });
    expect(c.classNames[0]).toBe('red shape');
    for (const s of await collectSamples(c)) expect(c.classNames[s.label]).toBe(`${s.metadata?.color} shape`);
  });

  it('fingerprints every generator option', async () => {
    const base = (await open('standard')).fingerprint;
    expect((await open('standard', { n: '1000', seed: '0' })).fingerprint).toBe(base);
    for (const [arg, o] of [['dark', {}], ['standard', { n: '999' }], ['standard', { seed: '1' }], ['standard', { size: '32' }],
      ['standard', { task: 'color' }], ['standard', { combos: 'all' }]] as const) {
      expect((await open(arg, o)).fingerprint).not.toBe(base);
    }
  });

  it('rejects bad specs with the valid choices', async () => {
    await expect(open('sketch', { task: 'color' })).rejects.toThrow(/not defined on domain 'sketch'.*valid there: shape/);
    await expect(open('standard', { task: 'size' })).rejects.toThrow(/known: color, color_shape, shape/);
    await expect(open('standard', { count: '3' })).rejects.toThrow(/unknown shapes option 'count'; valid: n, seed/);
    await expect(open('standard', { n: '-1' })).rejects.toThrow(/n=-1 must be an integer/);
    await expect(open('standard', { combos: 'some' })).rejects.toThrow(/valid: all, seen/);
    await expect(open('fog')).rejects.toThrow(/unknown shapes domain 'fog'/);
  });

  it('stops when aborted', async () => {
    const ds = await open('standard', { n: '100' });
    const ac = new AbortController();
    let seen = 0;
    await expect((async () => {
      for await (const _ of ds.samples({ signal: ac.signal })) if (++seen === 3) ac.abort();
    })()).rejects.toThrow(/aborted at image 3/);
  });

  it('renders at least 500 images per second', async () => {
    const ds = await open('sketch', { n: '1000', seed: '5' });
    const t0 = performance.now();
    let k = 0;
    for await (const _ of ds.samples()) k++;
    const perSecond = k / ((performance.now() - t0) / 1000);
    expect(perSecond).toBeGreaterThan(500);
  });
});
