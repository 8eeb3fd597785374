/** compare: CPU and CUDA results of one unit on one side are refused, naming the provider. */
import { describe, expect, it } from 'vitest';
import { pairUnits } from '../../src/compare/pairUp.js';
import { sideName } from '../../src/compare/renderText.js';
import { compareResults } from '../../src/compare/compareResults.js';
import { parseSelector } from '../../src/compare/selector.js';
import { handResult, writeDir } from './pairFixture.js';

const items = [true, true, false, true].map((correct) => ({ correct }));

function onCuda(run: ReturnType<typeof handResult>): ReturnType<typeof handResult> {
  run.result.model.executionProvider = 'cuda';
  run.result.id = `cuda${run.result.id.slice(4)}`; // its own identity, so its own file
  return run;
}

describe('compare and the execution provider', () => {
  it('refuses a side holding cpu and cuda results of one unit, naming the provider and what to do', async () => {
    const both = await writeDir([handResult('m', items), onCuda(handResult('m', items))]);
    const other = await writeDir([handResult('n', items)]);
    const err = await pairUnits({ paths: [both], selector: null, flag: '--a' }, { paths: [other], selector: null, flag: '--b' }).catch((e: Error & { hint?: string }) => e);
    expect((err as Error).message).toMatch(/has 2 results for .*\(m, fp32, cuda, p\)/);
    expect((err as Error).message).toMatch(/\(m, fp32, p\)/);
    expect((err as { hint?: string }).hint).toMatch(/^they differ in execution provider only \((cpu, cuda|cuda, cpu)\): pick one with --a MODEL:DTYPE:PROVIDER, e\.g\. --a m:fp32:cpu$/);
  });

  it('picks the CPU or the CUDA run of one model from one directory by MODEL:DTYPE:PROVIDER', async () => {
    const both = await writeDir([handResult('m', items), onCuda(handResult('m', [false, true, false, true].map((correct) => ({ correct }))))]);
    const { report } = await compareResults({ paths: [both], selector: parseSelector('m:fp32:cpu', '--a'), flag: '--a' }, { paths: [both], selector: parseSelector('m:cuda', '--b'), flag: '--b' });
    expect([sideName(report, 'a'), sideName(report, 'b')]).toEqual(['m', 'm (cuda)']);
    expect(report.units[0].difference.estimate).toBe(-0.25);
    await expect(compareResults({ paths: [both], selector: parseSelector('n:cuda', '--a'), flag: '--a' }, { paths: [both], selector: null, flag: '--b' })).rejects.toThrow(/no results of model 'n'/);
    const cpuOnly = await writeDir([handResult('m', items)]);
    await expect(compareResults({ paths: [cpuOnly], selector: parseSelector(':cuda', '--a'), flag: '--a' }, { paths: [cpuOnly], selector: null, flag: '--b' })).rejects.toThrow(/--a ':cuda': no cuda results in .* providers there: cpu/);
  });

  it('names a cuda side by its provider', async () => {
    const a = await writeDir([onCuda(handResult('m', items))]);
    const b = await writeDir([handResult('m', items)]);
    const { report } = await compareResults({ paths: [a], selector: null, flag: '--a' }, { paths: [b], selector: null, flag: '--b' });
    expect(sideName(report, 'a')).toBe('m (cuda)');
    expect(sideName(report, 'b')).toBe('m');
  });
});

describe('parseSelector', () => {
  it('splits a known provider, then a known dtype, off the end; a model name may hold colons', () => {
    expect(parseSelector('m:fp32:cuda', '--a')).toEqual({ text: 'm:fp32:cuda', model: 'm', dtype: 'fp32', provider: 'cuda' });
    expect(parseSelector('m:cuda', '--a')).toEqual({ text: 'm:cuda', model: 'm', dtype: null, provider: 'cuda' });
    expect(parseSelector('cpu', '--a')).toEqual({ text: 'cpu', model: null, dtype: null, provider: 'cpu' });
    expect(parseSelector(':q8:cpu', '--a')).toEqual({ text: ':q8:cpu', model: null, dtype: 'q8', provider: 'cpu' });
    expect(parseSelector('q8', '--a')).toEqual({ text: 'q8', model: null, dtype: 'q8' });
    expect(parseSelector('org/m:v2:q8', '--a')).toEqual({ text: 'org/m:v2:q8', model: 'org/m:v2', dtype: 'q8' });
    expect(parseSelector('m:v2', '--a')).toEqual({ text: 'm:v2', model: 'm:v2', dtype: null });
    expect(() => parseSelector(':cdua', '--b')).toThrow(/--b ':cdua': unknown dtype or execution provider 'cdua'; did you mean 'cuda'\?; dtypes: .*; providers: cpu, cuda/);
  });
});
