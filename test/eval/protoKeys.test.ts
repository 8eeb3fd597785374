/** Keyed data from user input keeps `__proto__` and `constructor` as ordinary keys. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { addClassificationGroups } from '../../src/tasks/groupResults.js';
import { groupValue } from '../../src/metrics/groups.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import { plainProtocol } from '../../src/datasets/scoringProtocol.js';
import { readResult } from '../../src/results/store.js';
import type { Prediction, Result } from '../../src/results/schema.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-proto-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pred = (id: string, label: number, top: number[]): Prediction => ({ id, label, top, scores: top.map(() => 0), correct: top[0] === label });
const shell = (): Result => ({ scoringProtocol: plainProtocol(), metrics: { n: 0, acc1: 0, acc1Ci: [0, 0], meanPerClassRecall: 0, ece: 0 }, dataset: { spec: 'x:y', numClasses: 2 } }) as unknown as Result;

describe('__proto__ as a group value, a group field and a spec option', () => {
  it('a group named __proto__ is kept: the group sizes add up to n', () => {
    const preds = [pred('a', 0, [0]), pred('b', 1, [0]), pred('c', 1, [1]), pred('d', 0, [1])];
    const meta = new Map<string, Record<string, unknown>>([['a', JSON.parse('{"g": "__proto__"}') as Record<string, unknown>], ['b', { g: '__proto__' }], ['c', { g: 'x' }], ['d', { g: 'constructor' }]]);
    const r = shell();
    addClassificationGroups(r, preds, meta, [{ field: 'g' }]);
    expect(Object.keys(r.groups!.g).sort()).toEqual(['__proto__', 'constructor', 'x']);
    expect(Object.values(r.groups!.g).reduce((s, g) => s + g.n, 0)).toBe(4);
    expect(r.groups!.g['__proto__']).toMatchObject({ n: 2, acc1: 0.5 });
  });

  it('a field named __proto__ reads the item\'s own value, never Object.prototype', () => {
    expect(groupValue({}, '__proto__')).toBe('(missing)');
    expect(groupValue({}, 'constructor')).toBe('(missing)');
    expect(groupValue(JSON.parse('{"__proto__": "north"}') as Record<string, unknown>, '__proto__')).toBe('north');
    const r = shell();
    addClassificationGroups(r, [pred('a', 0, [0]), pred('b', 1, [0])], new Map([['a', JSON.parse('{"__proto__": "n"}') as Record<string, unknown>], ['b', {}]]), [{ field: '__proto__' }]);
    expect(Object.keys(r.groups!)).toEqual(['__proto__']);
    expect(Object.keys(r.groups!['__proto__']).sort()).toEqual(['(missing)', 'n']);
  });

  it('a spec option named constructor is an unknown option, not "given twice"', () => {
    expect(Object.keys(parseDatasetSpec('shapes:dark?constructor=1').options)).toEqual(['constructor']);
  });

  it('eval --group-by over groups named __proto__ and a field named __proto__: written and read back whole', async () => {
    for (const c of ['red', 'blue']) mkdirSync(join(root, 'folder', c), { recursive: true });
    const rgb = { red: { r: 230, g: 20, b: 20 }, blue: { r: 20, g: 40, b: 230 } } as const;
    for (let i = 0; i < 6; i++) {
      const cls = i % 2 === 0 ? 'red' : 'blue';
      await sharp({ create: { width: 48, height: 48, channels: 3, background: rgb[cls] } }).png().toFile(join(root, 'folder', cls, `img${i}.png`));
      writeFileSync(join(root, 'folder', cls, `img${i}.json`), `{"region": "${i < 3 ? '__proto__' : 'south'}", "__proto__": "p${i % 3}"}`);
    }
    const out = join(root, 'out');
    const r = await cli(['eval', '--dataset', `folder:${join(root, 'folder')}`, '--template', 'a photo of a {}.', '--out', out, '--cache-dir', join(root, 'cache'), '--no-progress', '--group-by', 'region', '--group-by', '__proto__']);
    expect(r.code, r.stderr).toBe(0);
    const file = readdirSync(out).find((f) => f.endsWith('.json') && !f.startsWith('.'))!;
    const raw = readFileSync(join(out, file), 'utf8');
    expect(raw, raw.slice(raw.indexOf('"groups"'), raw.indexOf('"groups"') + 400)).toMatch(/"region": \{\s*"__proto__": \{\s*"n": 3,/);
    const result = await readResult(join(out, file));
    expect(Object.keys(result.groups!.region).sort()).toEqual(['__proto__', 'south']);
    expect(result.groups!.region['__proto__'].n + result.groups!.region.south.n).toBe(6);
    expect(Object.keys(result.groups!['__proto__']).sort()).toEqual(['p0', 'p1', 'p2']);
    expect(Object.keys(result.groupSummary!).sort()).toEqual(['__proto__', 'region']);
  }, 120_000);
});
