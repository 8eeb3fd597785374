import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { classNameMismatch } from '../../src/tasks/classifiers.js';
import type { Result } from '../../src/results/schema.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-classnames-'));
});

describe('prompt class names versus dataset class names', () => {
  it('finds the first difference, ignoring case and separators, and leaves id-like dataset names alone', () => {
    expect(classNameMismatch(['Circle', 'square'], ['circle', 'square'])).toBeNull();
    expect(classNameMismatch(['sea lion', 'b'], ['sea_lion', 'b'])).toBeNull();
    expect(classNameMismatch(['tench', 'goldfish'], ['n01440764', 'n01443537'])).toBeNull();
    expect(classNameMismatch(['red shape', 'blue shape'], ['circle', 'square'])).toBe("from class 0: prompt set 'red shape', 'blue shape' (2) vs dataset 'circle', 'square' (2)");
  });

  it('eval with a prompt set naming other classes warns once, naming both, and keeps the dataset names', async () => {
    const out = join(tmp, 'out');
    const r = await cli(['eval', '--dataset', 'shapes:standard?n=8', '--shift', 'fog:1', '--prompts', 'shapes-color', '--out', out, '--cache-dir', join(tmp, 'c'), '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes("prompt set 'shapes-color' names the classes"));
    expect(warnings, r.stderr).toHaveLength(1);
    expect(warnings[0]).toMatch(/shapes-standard.*prompt set '.*shape'.*vs dataset 'circle'/);
    for (const f of (await readdir(out)).filter((x) => x.endsWith('.json'))) {
      const res = JSON.parse(await readFile(join(out, f), 'utf8')) as Result;
      expect(res.dataset.classNames[0]).toBe('circle');
      expect(res.prompts.classNames?.[0]).toMatch(/shape$/);
      expect(res.perClass[0].name).toBe('circle');
    }
  });
});
