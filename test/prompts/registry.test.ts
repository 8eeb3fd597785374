import { describe, expect, it } from 'vitest';
import { getPromptSet, loadPromptSet, promptSetIds } from '../../src/prompts/registry.js';

describe('shipped prompt sets', () => {
  it('all validate (placeholders, schema)', () => {
    const ids = promptSetIds();
    expect(ids.length).toBeGreaterThan(40);
    // Every class gets at least one text: a template, or its own sentences (imagenet-cupl).
    for (const id of ids) {
      const set = getPromptSet(id);
      expect(set.templates.length > 0 || (set.classPrompts ?? []).every((texts) => texts.length > 0), id).toBe(true);
      if (set.templates.length === 0) expect(set.classPrompts, id).toBeDefined();
    }
  });

  it("CLIP's ImageNet set has 80 templates and 1000 names with duplicates kept", () => {
    const set = getPromptSet('imagenet');
    expect(set.templates).toHaveLength(80);
    expect(set.classNames).toHaveLength(1000);
    const counts = new Map<string, number>();
    for (const n of set.classNames as string[]) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts].filter(([, k]) => k > 1).map(([n]) => n).sort()).toEqual(['missile', 'sunglasses']);
    expect(set.classNames?.[0]).toBe('tench');
    const seven = getPromptSet('imagenet-7');
    expect(seven.templates).toEqual(['itap of a {}.', 'a bad photo of the {}.', 'a origami {}.', 'a photo of the large {}.', 'a {} in a video game.', 'art of the {}.', 'a photo of the small {}.']);
    for (const t of seven.templates) expect(set.templates).toContain(t);
  });

  it('sets from the CLIP paper markdown have its counts', () => {
    const counts = (id: string) => [getPromptSet(id).classNames?.length, getPromptSet(id).templates.length];
    expect(counts('cifar10')).toEqual([10, 18]);
    expect(counts('cifar100')).toEqual([100, 18]);
    expect(counts('mnist')).toEqual([10, 1]);
    expect(getPromptSet('mnist').templates).toEqual(['a photo of the number: "{}".']);
    expect(getPromptSet('fer2013').classNames?.[3]).toEqual(['happy', 'smiling']);
  });

  it('shapes sets follow WORLD.md', () => {
    expect(getPromptSet('shapes-shape').classNames).toEqual(['circle', 'square', 'triangle', 'pentagon', 'hexagon', 'star', 'cross', 'diamond']);
    expect(getPromptSet('shapes-color').classNames?.[6]).toBe('purple shape');
    const cs = getPromptSet('shapes-color_shape').classNames as string[];
    expect(cs).toHaveLength(64);
    expect([cs[0], cs[1], cs[8], cs[63]]).toEqual(['red circle', 'red square', 'orange circle', 'pink diamond']);
    expect(getPromptSet('shapes-shape').templates).toHaveLength(7);
    expect(getPromptSet('shapes-photo')).toMatchObject({ templates: ['a photo of a {}.'] });
    expect(getPromptSet('shapes-plain').classNames).toBeUndefined();
  });

  it('registers CLIP_benchmark sets as cb:<dataset>', () => {
    const cifar = getPromptSet('cb:cifar10');
    expect(cifar.templates).toHaveLength(18);
    expect(cifar.classNames).toBeUndefined();
    expect(getPromptSet('cb:imagenet1k')).toMatchObject({ templates: { length: 80 }, classNames: { length: 1000 } });
  });

  it('lists the known ids for an unknown one', async () => {
    // About 70 ids: the nearest one is named and the list is shortened, not dumped.
    expect(() => getPromptSet('imagenet-9')).toThrow(/^unknown prompt set 'imagenet-9'; did you mean 'imagenet(-7)?'\?; known: birdsnap, .*, … \(\d+ in all\)$/);
    await expect(loadPromptSet('nope')).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('loadPromptSet tells shipped ids from paths', async () => {
    expect((await loadPromptSet('cifar10')).source).toBe('shipped');
    await expect(loadPromptSet('./missing-set.json')).rejects.toMatchObject({ code: 'INPUT' });
  });
});
