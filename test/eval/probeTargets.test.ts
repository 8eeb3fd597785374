import { describe, expect, it } from 'vitest';
import { probeTargets } from '../../src/eval/probeTargets.js';
import { families } from '../../src/datasets/families.js';

describe('probeTargets: the probe is scored on the family\'s shifted variants', () => {
  it('a family\'s standard variant alone brings every other variant, with the given spec\'s options', async () => {
    const { targets, notes } = await probeTargets(['shapes:standard?n=60&seed=3'], undefined);
    const others = families.get('shapes').variants.filter((v) => !v.isStandard).map((v) => v.id);
    expect(targets[0]).toMatchObject({ family: 'shapes', variant: 'shapes-standard', isStandard: true });
    expect(targets.slice(1).map((t) => t.variant)).toEqual(others);
    for (const t of targets.slice(1)) {
      expect(t).toMatchObject({ family: 'shapes', isStandard: false });
      expect(t.spec).toMatch(/n=60/);
      expect(t.spec).toMatch(/seed=3/);
    }
    expect(notes).toEqual([]);
  });

  it('several --dataset or a non-standard one are scored as given', async () => {
    const two = await probeTargets(['shapes:standard?n=60', 'shapes:dark?n=60'], undefined);
    expect(two.targets.map((t) => t.variant)).toEqual(['shapes-standard', 'shapes-dark']);
    const dark = await probeTargets(['shapes:dark?n=60'], undefined);
    expect(dark.targets).toHaveLength(1);
  });

  it('variants that are not prepared or not in the label space are listed, not scored', async () => {
    const { mkdtempSync, rmSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'zs-probe-targets-'));
    try {
      // A prepared ImageNet val folder of one synset; no variant prepared.
      mkdirSync(join(dir, 'imagenet', 'val', 'n01440764'), { recursive: true });
      const sharp = (await import('sharp')).default;
      await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toFile(join(dir, 'imagenet', 'val', 'n01440764', 'a.png'));
      const { targets, notes } = await probeTargets(['imagenet'], dir);
      expect(targets).toHaveLength(1);
      expect(notes.some((n) => /^imagenet-r: not scored \(its classes are a subset/.test(n))).toBe(true);
      expect(notes.some((n) => /^objectnet.*: not scored \(its classes are a subset or a mapping/.test(n))).toBe(true);
      expect(notes.some((n) => /^imagenet-sketch: not scored \(.*imagenet-sketch/.test(n))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
