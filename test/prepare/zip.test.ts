import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractZipSafe } from '../../src/prepare/zip.js';
import { createRng } from '../../src/util/rng.js';
import { buildZip } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-zip-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (bytes: Buffer): string => {
  const p = join(dir, 'a.zip');
  writeFileSync(p, bytes);
  return p;
};

describe('extractZipSafe', () => {
  it('extracts stored and deflated entries in the ImageNet-Sketch layout', async () => {
    const rng = createRng(5);
    const jpeg = Buffer.from(Array.from({ length: 5000 }, () => rng.int(0, 255)));
    const text = Buffer.from('sketch '.repeat(500));
    const n = await extractZipSafe(
      write(buildZip([
        { name: 'sketch/' },
        { name: 'sketch/n01440764/' },
        { name: 'sketch/n01440764/sketch_0.JPEG', data: jpeg },
        { name: 'sketch/n01440764/notes.txt', data: text, deflate: true },
      ])),
      join(dir, 'out'),
    );
    expect(n).toBe(4);
    expect(readFileSync(join(dir, 'out', 'sketch', 'n01440764', 'sketch_0.JPEG'))).toEqual(jpeg);
    expect(readFileSync(join(dir, 'out', 'sketch', 'n01440764', 'notes.txt'))).toEqual(text);
  });

  it('refuses unsafe entries before writing anything', async () => {
    for (const bad of [{ name: '../evil', data: 'x' }, { name: '/abs', data: 'x' }, { name: 'root/l', data: '/etc/passwd', unixMode: 0o120777 }]) {
      const out = join(dir, 'out');
      await expect(extractZipSafe(write(buildZip([{ name: 'root/ok.txt', data: 'ok' }, bad])), out)).rejects.toMatchObject({
        code: 'DATASET',
        message: expect.stringContaining(`entry '${bad.name}'`),
      });
      expect(existsSync(out)).toBe(false);
    }
  });

  it('detects a corrupted entry by its CRC-32', async () => {
    const zip = buildZip([{ name: 'f.txt', data: 'abcdefgh' }]);
    zip[30 + 'f.txt'.length + 2] ^= 0xff;
    await expect(extractZipSafe(write(zip), join(dir, 'out'))).rejects.toMatchObject({ message: expect.stringContaining('CRC-32') });
  });

  it('says when the file is not a zip', async () => {
    await expect(extractZipSafe(write(Buffer.from('not a zip at all, just text')), join(dir, 'out'))).rejects.toMatchObject({
      message: expect.stringContaining('is not a zip file'),
    });
  });
});
