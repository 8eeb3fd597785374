import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, filesUnder, problemLines } from '../helpers/cli.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-config-errors-'));
});

/**
 * A configuration problem must stop `eval` with exit 2 and one line naming `what`, before
 * anything is embedded or written: the datasets listed first are fine, so a check made only
 * when the bad unit's turn comes would already have spent their work.
 */
async function expectConfigError(args: string[], what: RegExp): Promise<void> {
  const cache = join(tmp, `cache-${Math.random().toString(36).slice(2)}`);
  const out = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
  const r = await cli(['eval', ...args, '--cache-dir', cache, '--out', out, '--no-progress']);
  expect(r.code, r.stderr).toBe(2);
  const lines = problemLines(r.stderr);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(what);
  expect(await filesUnder(cache)).toEqual([]);
  expect(await filesUnder(out)).toEqual([]);
}

describe('configuration problems stop eval before any work', () => {
  it('an unknown prompt set id in a suite names the suite, key and id', async () => {
    const suite = join(tmp, 'suite.json');
    await writeFile(suite, JSON.stringify({
      schemaVersion: 1, name: 'bad-prompts', models: ['tiny-clip-shapes'],
      datasets: [{ spec: 'shapes:standard?n=8' }, { spec: 'shapes:dark?n=8' }], prompts: ['shapes-shape', 'no-such-set'],
    }));
    await expectConfigError(['--suite', suite], /no-such-set/);
  });

  it('a command-line template without a placeholder', async () => {
    await expectConfigError(['--dataset', 'shapes:standard?n=8', '--dataset', 'shapes:dark?n=8', '--template', 'a photo of {}.', '--template', 'a photo'], /a photo'?"?.*placeholder|placeholder.*a photo/);
  });

  it('a prompt set whose class-name count disagrees with a later dataset', async () => {
    // shapes-shape has 8 names: right for the shape task, wrong for color_shape (64 classes).
    await expectConfigError(['--dataset', 'shapes:standard?n=8', '--dataset', 'shapes:standard?n=8&task=color_shape', '--prompts', 'shapes-shape'], /shapes-shape.*8.*64|64.*8/);
  });

  it('a prompt set file with a template lacking its placeholder names the file', async () => {
    const file = join(tmp, 'noph.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, name: 'noph', description: 'x', source: 'x', templates: ['a {}.', 'itap of a cat.'], classNames: Array.from({ length: 8 }, (_, i) => `c${i}`) }));
    await expectConfigError(['--dataset', 'shapes:standard?n=8', '--prompts', 'shapes-shape', '--prompts', file], /noph\.json/);
  });
});
