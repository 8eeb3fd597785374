/** compare: CPU and CUDA results of one unit on one side are refused, naming the provider. */
import { describe, expect, it } from 'vitest';
import { pairUnits } from '../../src/compare/pairUp.js';
import { sideName } from '../../src/compare/renderText.js';
import { compareResults } from '../../src/compare/compareResults.js';
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
    expect((err as { hint?: string }).hint).toMatch(/^they differ in execution provider only \((cpu, cuda|cuda, cpu)\): give --a a directory holding one provider's results$/);
  });

  it('names a cuda side by its provider', async () => {
    const a = await writeDir([onCuda(handResult('m', items))]);
    const b = await writeDir([handResult('m', items)]);
    const { report } = await compareResults({ paths: [a], selector: null, flag: '--a' }, { paths: [b], selector: null, flag: '--b' });
    expect(sideName(report, 'a')).toBe('m (cuda)');
    expect(sideName(report, 'b')).toBe('m');
  });
});
