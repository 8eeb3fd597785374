import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const SCENES = resolve(import.meta.dirname, '../fixtures/tiny-clip-shapes/reference-images/scenes');
const tmp = mkdtempSync(join(tmpdir(), 'zs-ds-warn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A folder dataset with 2 good images per class, a dangling `x.png` link (unusable at open) and an empty PNG (skipped when read). */
function hostileFolder(): string {
  const root = join(tmp, 'pets');
  for (const [c, i] of [['circle', 0], ['square', 1]] as const) {
    mkdirSync(join(root, c), { recursive: true });
    copyFileSync(join(SCENES, `standard-0000${i}.png`), join(root, c, 'a.png'));
    copyFileSync(join(SCENES, `standard-0000${i + 2}.png`), join(root, c, 'b.png'));
  }
  symlinkSync(join(tmp, 'nowhere.png'), join(root, 'circle', 'x.png'));
  writeFileSync(join(root, 'square', 'empty.png'), '');
  return root;
}

describe('eval shows dataset warnings once per dataset', () => {
  it('an open-time warning and the skipped items, once each although three units use the dataset, with the command that lists them', async () => {
    const root = hostileFolder();
    const spec = `folder:${root}`;
    const r = await cli(['eval', '--dataset', spec, '--model', 'tiny-clip-shapes', '--template', 'a photo of a {}.', '--shift', 'gaussian_noise:1', '--shift', 'gaussian_noise:2', '--out', join(tmp, 'out'), '--no-cache', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      `warning: ${root}: 1 entry not usable (listed as skipped items); the list: zeroshift datasets show ${spec}`,
      expect.stringMatching(new RegExp(`^warning: pets: 2 item\\(s\\) skipped \\(first: circle/x\\.png: .*\\); all are listed in the results' "skipped", and those found without decoding by: zeroshift datasets show ${spec.replaceAll('/', '\\/')} --samples 6$`)),
    ]);
    // The command named lists what it can find without decoding (the dangling link, not the empty PNG).
    const show = await cli(['datasets', 'show', spec, '--samples', '6']);
    expect(show.stdout).toContain('skipped circle/x.png: ');
  }, 120_000);
});
