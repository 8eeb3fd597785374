import { describe, expect, it } from 'vitest';
import { checkTemplates, fillTemplate } from '../../src/prompts/template.js';

describe('fillTemplate', () => {
  it('replaces every {} and {c}, literally', () => {
    expect(fillTemplate('a photo of a {}.', 'cat')).toBe('a photo of a cat.');
    expect(fillTemplate('{c} or {c}? a {}', 'dog')).toBe('dog or dog? a dog');
    expect(fillTemplate('a "{}" sign', "$& o'clock")).toBe(`a "$& o'clock" sign`);
    expect(fillTemplate('{}', 'star')).toBe('star');
  });
});

describe('checkTemplates', () => {
  it('names the file and the template without a placeholder', () => {
    expect(() => checkTemplates(['a {}.', 'a photo.'], 'my.json')).toThrow(/my\.json: templates\[1\] "a photo\." has no class-name placeholder/);
  });

  it('rejects an empty list', () => {
    expect(() => checkTemplates([], 'my.json')).toThrow(/my\.json: 'templates' is empty/);
  });
});
