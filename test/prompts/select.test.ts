import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectPrompts } from '../../src/prompts/select.js';

const shapeNames = ['circle', 'square', 'triangle', 'pentagon', 'hexagon', 'star', 'cross', 'diamond'];

describe('selectPrompts', () => {
  it('prefers command-line templates, then a named set, then the dataset, then promptKey, then the default', async () => {
    const base = { classNames: shapeNames, datasetName: 'shapes', datasetTemplates: ['an {}'], promptKey: 'shapes-shape' };
    expect(await selectPrompts({ ...base, cliTemplates: ['x {}'], cliPromptSet: 'shapes-photo' })).toMatchObject({ source: 'cli', templates: ['x {}'] });
    expect(await selectPrompts({ ...base, cliPromptSet: 'shapes-photo' })).toMatchObject({ source: 'shipped', name: 'shapes-photo', templates: ['a photo of a {}.'], classNames: shapeNames });
    expect(await selectPrompts(base)).toMatchObject({ source: 'dataset', templates: ['an {}'] });
    expect(await selectPrompts({ ...base, datasetTemplates: undefined })).toMatchObject({ source: 'shipped', name: 'shapes-shape', templates: { length: 7 } });
    expect(await selectPrompts({ classNames: shapeNames, promptKey: 'no-such-key' })).toEqual({ name: 'default', source: 'default', templates: ['a photo of a {}.'], classNames: shapeNames });
  });

  it("uses a set's own class names and checks their count", async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `n${i}`);
    const sel = await selectPrompts({ classNames: names, promptKey: 'imagenet' });
    expect(sel.classNames[0]).toBe('tench');
    await expect(selectPrompts({ classNames: shapeNames, datasetName: 'shapes', cliPromptSet: 'cifar10' })).rejects.toThrow(/'cifar10' has 10 class names but dataset 'shapes' has 8 classes/);
  });

  it('records a file set as source file and validates command-line templates', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'zs-sel-')), 'mine.json');
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, name: 'mine', description: '', source: 'test', templates: ['{} drawn'] }));
    expect(await selectPrompts({ classNames: shapeNames, cliPromptSet: path })).toMatchObject({ source: 'file', name: 'mine' });
    await expect(selectPrompts({ classNames: shapeNames, cliTemplates: ['no placeholder'] })).rejects.toThrow(/command-line templates: templates\[0\]/);
  });
});
