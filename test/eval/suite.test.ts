import { describe, it, expect } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite } from '../../src/eval/suite.js';

async function suiteFile(body: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zs-suite-'));
  const file = join(dir, 'suite.json');
  await writeFile(file, JSON.stringify(body));
  return file;
}

describe('loadSuite', () => {
  it('loads every shipped suite', async () => {
    for (const name of ['shapes-robustness', 'cifar10-robustness', 'imagenet-robustness']) {
      const s = await loadSuite(name);
      expect(s.name).toBe(name);
    }
  });

  it('names the file, the mistyped key and a suggestion', async () => {
    const file = await suiteFile({ schemaVersion: 1, name: 'x', modles: ['a'], models: ['a'], datasets: [{ spec: 'shapes:standard' }] });
    await expect(loadSuite(file)).rejects.toThrow(new RegExp(`${file}.*unknown key 'modles'.*did you mean 'models'`));
  });

  it('lists the valid choices of an enum key', async () => {
    const file = await suiteFile({ schemaVersion: 1, name: 'x', models: ['a'], datasets: [{ spec: 's' }], ensembling: 'avg' });
    await expect(loadSuite(file)).rejects.toThrow(/key 'ensembling'.*valid choices: clip, testbed/);
  });

  it('rejects an unknown suite name with the shipped ones as a hint', async () => {
    await expect(loadSuite('no-such-suite')).rejects.toMatchObject({ code: 'CONFIG', hint: expect.stringContaining('shapes-robustness') });
  });
});
