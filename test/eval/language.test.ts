import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { makeImagenetValFolder } from '../helpers/imagenetVal.js';
import type { Result } from '../../src/results/schema.js';

const CHINESE_CLIP = 'test/fixtures/families/tiny-chinese-clip';

let tmp: string;
let imagenetVal: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-language-'));
  // An ImageNet val layout: 1000 WordNet-id folders of one tiny image each.
  imagenetVal = await makeImagenetValFolder(join(tmp, 'val'), { r: 200, g: 40, b: 40 }, () => 'ILSVRC2012_val.png');
}, 60_000);

async function results(dir: string): Promise<{ file: string; result: Result }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  return Promise.all(files.map(async (file) => ({ file, result: JSON.parse(await readFile(join(dir, file), 'utf8')) as Result })));
}

describe('--language', () => {
  it("an ImageNet val folder of 1000 WordNet-id folders uses CLIP_benchmark's cn class names and templates", async () => {
    const out = join(tmp, 'cn');
    const r = await cli(['eval', '--dataset', `folder:${imagenetVal}`, '--language', 'cn', '-m', CHINESE_CLIP, '--limit', '2', '--out', out, '--no-cache', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const [{ file, result }] = await results(out);
    expect(file).toContain('imagenet-cn');
    expect(result.prompts.name).toBe('imagenet-cn');
    expect(result.prompts.language).toBe('cn');
    expect(result.prompts.classNames?.slice(0, 2)).toEqual(['丁鲷', '金鱼']);
    expect(result.prompts.classNames).toHaveLength(1000);
    expect(result.prompts.templates).toHaveLength(80);
    expect(result.prompts.templates[0]).toBe('{c}的照片。');
    expect(result.perClass[0].name).toBe('丁鲷');
    expect(result.perClass[1].name).toBe('金鱼');
  }, 300_000);

  it('a translated language on a dataset outside the ImageNet family is exit 2 naming the languages that exist', async () => {
    const r = await cli(['eval', '--dataset', 'shapes:standard?n=4', '--language', 'jp', '--out', join(tmp, 'x'), '--no-cache', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--language jp: shapes-standard is not an ImageNet-family dataset.*languages: ar, cn, en, it, jp/);
  });

  it('an unknown language lists the known ones; --language with --prompts is refused', async () => {
    const unknown = await cli(['eval', '--dataset', `folder:${imagenetVal}`, '--language', 'de', '--out', join(tmp, 'y'), '--no-cache', '--no-progress']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--language must be one of ar, cn, en, it, jp; got 'de'/);
    expect(unknown.stderr).toMatch(/Babel-ImageNet's 90 languages.*--dataset babel-imagenet:DIR\?lang=CODE/);
    const both = await cli(['eval', '--dataset', `folder:${imagenetVal}`, '--language', 'cn', '--prompts', 'imagenet', '--out', join(tmp, 'z'), '--no-cache', '--no-progress']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--language cn picks the prompts .* cannot be combined with --prompts/);
  });
});
