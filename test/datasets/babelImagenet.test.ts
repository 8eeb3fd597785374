import { describe, expect, it, beforeAll } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { makeImagenetValFolder } from '../helpers/imagenetVal.js';
import { openDataset } from '../../src/datasets/registry.js';
import { BABEL_IMAGENET_FILE, parseBabelImagenet } from '../../src/datasets/babelImagenetData.js';
import { imagenetWordnetClasses } from '../../src/datasets/subsets.js';
import type { Result } from '../../src/results/schema.js';

const CHINESE_CLIP = 'test/fixtures/families/tiny-chinese-clip';
// The shipped file as written by scripts/buildLanguageSets.mjs, read raw (the code under test parses it with zod).
const raw = JSON.parse(readFileSync(BABEL_IMAGENET_FILE, 'utf8')) as { languages: Record<string, { classIndices: number[]; classNames: string[]; templates: string[] }> };

let tmp: string;
let val: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-babel-'));
  // ImageNet val's layout: 1000 WordNet-id folders, one tiny image each named after its folder.
  val = await makeImagenetValFolder(join(tmp, 'val'), { r: 40, g: 200, b: 40 }, (wnid) => `${wnid}.png`);
}, 60_000);

describe('babel-imagenet shipped tables', () => {
  it("hold CLIP_benchmark's babel_imagenet.json and NLLB templates ({} as {c}) for 90 languages", () => {
    const { languages, omitted } = parseBabelImagenet(raw, BABEL_IMAGENET_FILE);
    expect(languages.size).toBe(90);
    expect(omitted).toEqual(['br', 'fy', 'la']);
    const de = languages.get('de')!;
    expect(de.classIndices).toHaveLength(738);
    expect(de.classNames.slice(0, 2)).toEqual(['Schleie', 'Goldfisch']);
    expect(de.templates).toHaveLength(80);
    expect(de.templates[0]).toBe('ein schlechtes Foto von einem  {c} .');
    expect(languages.get('en')!.classIndices).toHaveLength(1000);
    expect(languages.get('__proto__')).toBeUndefined();
  });

  it('refuse a language whose names and indices differ in length', () => {
    const bad = { ...raw, schemaVersion: 1, source: 's', omitted: [], languages: { xx: { classIndices: [1, 2], classNames: ['a'], templates: ['{c}'] } } };
    expect(() => parseBabelImagenet(bad, 'f.json')).toThrow(/f\.json: languages\.xx.*differ in length/);
  });
});

describe('babel-imagenet:DIR?lang=CODE', () => {
  it("keeps only the language's k classes, labels are positions in its class indices", async () => {
    const om = raw.languages.om;
    const ds = await openDataset(`babel-imagenet:${val}?lang=om`);
    expect(ds.name).toBe('babel-imagenet-om');
    expect(ds.classNames).toEqual(om.classNames);
    expect(ds.templates).toEqual(om.templates);
    const wnids = imagenetWordnetClasses().map((c) => c.wnid);
    const seen: { id: string; label: number }[] = [];
    for await (const s of ds.samples()) seen.push({ id: s.id, label: s.label });
    expect(seen).toEqual(om.classIndices.map((imagenetIndex, k) => ({ id: `${wnids[imagenetIndex]}/${wnids[imagenetIndex]}.png`, label: k })));
  });

  it('an eval has k classes in index order with the translated names and NLLB templates, other classes left out', async () => {
    const om = raw.languages.om;
    const out = join(tmp, 'om');
    const r = await cli(['eval', '--dataset', `babel-imagenet:${val}?lang=om`, '-m', CHINESE_CLIP, '--out', out, '--no-cache', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const files = (await readdir(out)).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    expect(files[0]).toContain('babel-imagenet-om');
    const result = JSON.parse(await readFile(join(out, files[0]), 'utf8')) as Result;
    expect(result.prompts.templates).toEqual(om.templates);
    expect(result.prompts.classNames).toEqual(om.classNames);
    expect(result.perClass.map((c) => [c.index, c.name, c.n])).toEqual(om.classNames.map((name, k) => [k, name, 1]));
    expect(result.skipped).toEqual([]);
  }, 300_000);

  it('an unknown or missing language lists the 90 languages; a folder that is not ImageNet val is refused', async () => {
    await expect(openDataset(`babel-imagenet:${val}?lang=xx`)).rejects.toThrow(/lang=xx is not a Babel-ImageNet language; languages: af, am, ar, .*, zh$/);
    await expect(openDataset(`babel-imagenet:${val}?lang=la`)).rejects.toThrow(/la has Babel-ImageNet class names but no NLLB templates/);
    await expect(openDataset(`babel-imagenet:${val}`)).rejects.toThrow(/lang=\(missing\)/);
    const r = await cli(['eval', '--dataset', `babel-imagenet:${val}?lang=__proto__`, '--out', join(tmp, 'x'), '--no-cache', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lang=__proto__ is not a Babel-ImageNet language; languages: af, am/);
    const small = join(tmp, 'small');
    await mkdir(join(small, 'n01440764'), { recursive: true });
    await copyFile(join(val, 'n01440764', 'n01440764.png'), join(small, 'n01440764', 'a.png'));
    await expect(openDataset(`babel-imagenet:${small}?lang=de`)).rejects.toThrow(/needs the ImageNet val layout.*found 1 classes/);
  });
});
