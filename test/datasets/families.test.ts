import { describe, expect, it } from 'vitest';
import { findVariant, listFamilies, scoreMapping, variantProtocol, variantSpec } from '../../src/datasets/families.js';
import { acceptableColumns, isCorrectPrediction } from '../../src/datasets/scoringProtocol.js';
import { imagenetSubset, imagenetWordnetClasses, objectnetToImagenet } from '../../src/datasets/subsets.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';

describe('class subsets', () => {
  it('ships the 1000 ImageNet synsets in sorted order', () => {
    const c = imagenetWordnetClasses();
    expect(c).toHaveLength(1000);
    expect(c.map((x) => x.wnid)).toEqual([...c.map((x) => x.wnid)].sort());
    expect(c[0]).toEqual({ wnid: 'n01440764', name: 'tench, Tinca tinca' });
    expect(c[134].name).toBe('crane');
    expect(c[517].name).toBe('crane');
  });

  it('maps all 113 ObjectNet classes onto ImageNet indices', () => {
    const m = objectnetToImagenet();
    expect(m.size).toBe(113);
    expect(m.get('Alarm clock')).toEqual([409, 530]); // analog clock, digital clock
    expect(m.get('Banana')).toEqual([954]);
  });

  it('has 200-class ImageNet-R and ImageNet-A subsets', () => {
    expect(imagenetSubset('imagenet-r')).toHaveLength(200);
    expect(imagenetSubset('imagenet-a')).toHaveLength(200);
  });
});

describe('families', () => {
  it('lists the families, each with one standard variant, and specs that parse', () => {
    expect(listFamilies().map((f) => f.id)).toEqual(['shapes', 'cifar10', 'imagenet', 'tiny-imagenet', 'mnist']);
    for (const f of listFamilies()) {
      expect(f.variants.filter((v) => v.isStandard)).toHaveLength(1);
      for (const v of f.variants) expect(() => parseDatasetSpec(variantSpec(v, '/data'))).not.toThrow();
    }
    expect(listFamilies()[1].variants.filter((v) => v.id.startsWith('cifar10-c-'))).toHaveLength(95);
    expect(variantSpec(findVariant('cifar10-c-fog-3').variant, '/d/')).toBe('npy:/d/CIFAR-10-C?corruption=fog&severity=3');
    expect(() => findVariant('cifar11')).toThrow(/unknown dataset variant 'cifar11'; known: .*cifar10\.1/);
  });

  it('scores plain variants by identity', () => {
    const m = scoreMapping(findVariant('cifar10.1').variant, ['a', 'b']);
    expect(m.classColumns).toBeNull();
    expect([...m.labelToCorrect(1)!]).toEqual([1]);
  });

  it('restricts ImageNet-R to its subset and checks synset folders', () => {
    const subset = imagenetSubset('imagenet-r');
    const wnids = imagenetWordnetClasses();
    const names = subset.map((i) => wnids[i].wnid);
    const m = scoreMapping(findVariant('imagenet-r').variant, names);
    expect(m.classColumns).toEqual([...subset]);
    expect([...m.labelToCorrect(3)!]).toEqual([subset[3]]);
    const swapped = [names[1], names[0], ...names.slice(2)];
    expect(() => scoreMapping(findVariant('imagenet-r').variant, swapped)).toThrow(/class folder 0 is 'n\d+' but the subset's class 0/);
    expect(() => scoreMapping(findVariant('imagenet-a').variant, names.slice(1))).toThrow(/must have 200 classes/);
  });

  it('maps ObjectNet folders many-to-one and leaves other classes unscored', () => {
    const folders = [...objectnetToImagenet().keys()].map((n) => n.toLowerCase().replace(/[^a-z0-9]+/g, '_'));
    const names = ['zz_not_imagenet', ...folders];
    const m = scoreMapping(findVariant('objectnet').variant, names);
    expect(m.labelToCorrect(0)).toBeNull();
    const alarm = names.indexOf('alarm_clock');
    expect([...m.labelToCorrect(alarm)!]).toEqual([409, 530]);
    expect(m.classColumns).toContain(409);
    expect(m.classColumns!.length).toBe(new Set([...objectnetToImagenet().values()].flat()).size);
    expect(() => scoreMapping(findVariant('objectnet').variant, names.slice(0, 50))).toThrow(/ObjectNet class folders missing for 64 mapped classes/);
  });

  it('builds serialisable scoring protocols: identity, subset columns, ObjectNet positions with the 2-pixel crop', () => {
    expect(variantProtocol(findVariant('cifar10.1').variant, ['a', 'b'])).toEqual({ classColumns: null, labelColumns: null, crop: null });
    const subset = imagenetSubset('imagenet-r');
    const r = variantProtocol(findVariant('imagenet-r').variant, subset.map((i) => imagenetWordnetClasses()[i].wnid));
    expect(r).toEqual({ classColumns: [...subset], labelColumns: null, crop: null });
    expect(acceptableColumns(r, 7)).toEqual([7]);

    const folders = [...objectnetToImagenet().keys()].map((n) => n.toLowerCase().replace(/[^a-z0-9]+/g, '_'));
    const names = ['zz_not_imagenet', ...folders];
    const o = variantProtocol(findVariant('objectnet').variant, names);
    expect(JSON.parse(JSON.stringify(o))).toEqual(o);
    expect(o.crop).toEqual({ border: 2 }); // imagenet-testbed: PIL.ImageOps.crop(image, border=2)
    expect(o.labelColumns).toHaveLength(names.length);
    expect(acceptableColumns(o, 0)).toBeNull();
    // Positions are indices into the scored columns: alarm clock → analog (409) and digital (530) clock.
    const alarm = acceptableColumns(o, names.indexOf('alarm_clock'))!;
    expect(alarm.map((p) => o.classColumns![p])).toEqual([409, 530]);
    expect(isCorrectPrediction(o, names.indexOf('alarm_clock'), alarm[1])).toBe(true);
    const wrong = [...o.classColumns!.keys()].find((p) => !alarm.includes(p))!;
    expect(isCorrectPrediction(o, names.indexOf('alarm_clock'), wrong)).toBe(false);
    expect(isCorrectPrediction(o, 0, 0)).toBe(false);
  });
});
