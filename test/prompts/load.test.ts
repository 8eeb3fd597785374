import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkClassNames, loadPromptSetFile, parsePromptSet } from '../../src/prompts/load.js';
import { loadClipBenchmarkPrompts } from '../../src/prompts/clipBenchmark.js';

const base = { schemaVersion: 1, name: 'mine', description: 'test', source: 'hand-written', templates: ['a {}.'] };

describe('prompt set files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-prompts-'));

  it('loads a valid file, keeping duplicate class names', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify({ ...base, classNames: ['a', 'b', 'a'] }));
    expect((await loadPromptSetFile(path)).classNames).toEqual(['a', 'b', 'a']);
  });

  it('names the file and key of a schema error', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...base, templates: 'a {}.' }));
    await expect(loadPromptSetFile(path)).rejects.toThrow(new RegExp(`${path.replace(/[.\\]/g, '\\$&')}: invalid prompt set at 'templates'`));
    writeFileSync(path, JSON.stringify({ ...base, schemaVersion: 3 }));
    await expect(loadPromptSetFile(path)).rejects.toThrow(/at 'schemaVersion'/);
  });

  it('names the file and template without a placeholder', async () => {
    const path = join(dir, 'noph.json');
    writeFileSync(path, JSON.stringify({ ...base, templates: ['a {}.', 'itap of a cat.'] }));
    await expect(loadPromptSetFile(path)).rejects.toThrow(/noph\.json: templates\[1\] "itap of a cat\."/);
  });

  it('reports unreadable and malformed files', async () => {
    await expect(loadPromptSetFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'INPUT' });
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"schemaVersion": 1,');
    await expect(loadPromptSetFile(path)).rejects.toThrow(/broken\.json: a prompt set file must be JSON/);
  });

  it('checks class-name counts against the dataset', () => {
    const set = parsePromptSet({ ...base, classNames: ['a', 'b'] }, 'x');
    expect(() => checkClassNames(set, 2, 'pair')).not.toThrow();
    expect(() => checkClassNames(set, 3, 'triple')).toThrow(/'mine' has 2 class names but dataset 'triple' has 3 classes/);
    expect(() => checkClassNames(parsePromptSet(base, 'x'), 1000, 'imagenet')).not.toThrow();
  });

  it('reads the CLIP_benchmark format', () => {
    const names = join(dir, 'en_classnames.json');
    const templates = join(dir, 'en_zeroshot_classification_templates.json');
    writeFileSync(names, JSON.stringify({ toy: ['cat', 'dog'] }));
    writeFileSync(templates, JSON.stringify({ toy: ['a photo of a {c}.'], bare: ['{c}'] }));
    expect(loadClipBenchmarkPrompts(names, templates, 'toy')).toMatchObject({ name: 'cb:toy', classNames: ['cat', 'dog'], templates: ['a photo of a {c}.'] });
    expect(loadClipBenchmarkPrompts(names, templates, 'bare').classNames).toBeUndefined();
    expect(() => loadClipBenchmarkPrompts(names, templates, 'nope')).toThrow(/no templates for dataset 'nope'; known: bare, toy/);
  });
});
