import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { cli } from '../helpers/cli.js';
import { compareSchema } from '../../src/compare/schema.js';
import { HAND, handResult, writeDir } from './pairFixture.js';

describe('compare.html', () => {
  it('opens in headless Chromium without errors, shows every flipped image and the JSON numbers', async () => {
    const fog = { corruption: 'fog', severity: 3 };
    const a = await writeDir([handResult('model-a', HAND[0]), handResult('model-a', HAND[1], { shift: fog })]);
    const b = await writeDir([handResult('model-b', HAND[1]), handResult('model-b', HAND[0], { shift: fog })]);
    const out = join(a, 'cmp');
    const r = await cli(['compare', a, b, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = compareSchema.parse(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(out, 'compare.html')).href, { waitUntil: 'load' });
      const values = await page.$$eval('[data-metric="difference"]', (els) => els.map((c) => Number(c.getAttribute('data-value'))));
      expect(values).toEqual(json.units.map((u) => u.difference.estimate));
      const p = await page.$$eval('[data-metric="mcnemar-p"]', (els) => els.map((c) => Number(c.getAttribute('data-value'))));
      expect(p).toEqual(json.units.map((u) => u.mcnemarP));
      await page.$$eval('details', (els) => els.forEach((d) => { (d as unknown as { open: boolean }).open = true; }));
      const imgs = await page.$$eval('.fgallery img', (els) => els.map((i) => ({ done: (i as { complete: boolean }).complete, w: (i as { naturalWidth: number }).naturalWidth })));
      expect(imgs).toHaveLength(json.units.reduce((s, u) => s + u.lost.length + u.gained.length, 0));
      expect(imgs.length).toBe(10);
      for (const i of imgs) expect(i.done && i.w > 0).toBe(true);
      expect(await page.$eval('.takeaway', (e) => e.textContent)).toBe('B is better than A on 0 of 2 unit(s) and worse on 0 (the 95 % interval of B − A above or below zero).');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
