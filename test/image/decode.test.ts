import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { cmykToRgb } from '../../src/image/cmyk.js';
import { decodeImage } from '../../src/image/decode.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-decode-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bytes = (b: Buffer, name: string) => ({ kind: 'bytes' as const, bytes: new Uint8Array(b), name });
const pixel = (img: { data: Uint8Array; width: number }, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];

describe('decodeImage', () => {
  it('expands 8-bit grey to equal RGB channels', async () => {
    const png = await sharp(Buffer.from([0, 77, 200, 255]), { raw: { width: 2, height: 2, channels: 1 } }).png().toBuffer();
    const img = await decodeImage(bytes(png, 'grey.png'));
    expect([...img.data]).toEqual([0, 0, 0, 77, 77, 77, 200, 200, 200, 255, 255, 255]);
  });

  it('expands a palette PNG to its colours', async () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];
    const png = await sharp(Buffer.from(rgb), { raw: { width: 2, height: 2, channels: 3 } }).png({ palette: true, dither: 0 }).toBuffer();
    expect((await sharp(png).metadata()).isPalette).toBe(true);
    expect([...(await decodeImage(bytes(png, 'palette.png'))).data]).toEqual(rgb);
  });

  it('reduces 16-bit to the high byte (as PIL unpacks 16-bit RGB PNGs)', async () => {
    const values = new Uint16Array([0x00ff, 0x01ff, 0xffff, 0x7f80, 0x8000, 0x1234]);
    const png = await sharp(values, { raw: { width: 2, height: 1, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(png).metadata()).depth).toBe('ushort');
    expect([...(await decodeImage(bytes(png, 'deep.png'))).data]).toEqual([0, 1, 255, 127, 128, 18]);
  });

  it('drops alpha without compositing: RGB values stay as stored', async () => {
    const rgba = Buffer.from([10, 20, 30, 0, 200, 100, 50, 128]);
    const png = await sharp(rgba, { raw: { width: 2, height: 1, channels: 4 } }).png().toBuffer();
    expect([...(await decodeImage(bytes(png, 'alpha.png'))).data]).toEqual([10, 20, 30, 200, 100, 50]);
  });

  it("converts CMYK with PIL's formula, not an ICC transform", async () => {
    expect([...cmykToRgb(new Uint8Array([0, 233, 255, 22, 0, 0, 0, 0, 255, 255, 255, 255]), 3, 4)]).toEqual([233, 20, 0, 255, 255, 255, 0, 0, 0]);
    const jpg = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 50, b: 10 } } }).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer();
    expect((await sharp(jpg).metadata()).space).toBe('cmyk');
    const ink = await sharp(jpg).toColourspace('cmyk').raw().toBuffer();
    const img = await decodeImage(bytes(jpg, 'cmyk.jpg'));
    expect([img.width, img.height]).toEqual([8, 8]);
    expect(pixel(img, 3, 3)).toEqual([...cmykToRgb(new Uint8Array(ink.subarray(0, 4)), 1, 4)]);
  });

  it('keeps the stored EXIF orientation by default and applies it with exifRotate', async () => {
    const jpg = await sharp({ create: { width: 4, height: 2, channels: 3, background: '#ff0000' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const stored = await decodeImage(bytes(jpg, 'rot.jpg'));
    expect([stored.width, stored.height]).toEqual([4, 2]);
    const rotated = await decodeImage(bytes(jpg, 'rot.jpg'), { exifRotate: true });
    expect([rotated.width, rotated.height]).toEqual([2, 4]);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frames = Buffer.alloc(4 * 6 * 3);
    frames.fill(200, 0, 4 * 3 * 3);
    for (let i = 4 * 3 * 3; i < frames.length; i += 3) frames[i] = 255;
    const gif = await sharp(frames, { raw: { width: 4, height: 6, channels: 3, pageHeight: 3 } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const img = await decodeImage(bytes(gif, 'anim.gif'));
    expect([img.width, img.height]).toEqual([4, 3]);
    expect(pixel(img, 1, 1)).toEqual([200, 200, 200]);
  });

  it('reads files from disk and passes raw images through', async () => {
    const file = join(tmp, 'ok.png');
    writeFileSync(file, await sharp(Buffer.from([1, 2, 3]), { raw: { width: 1, height: 1, channels: 3 } }).png().toBuffer());
    expect([...(await decodeImage({ kind: 'path', path: file })).data]).toEqual([1, 2, 3]);
    const raw = { width: 1, height: 1, data: new Uint8Array([4, 5, 6]) };
    expect(await decodeImage({ kind: 'raw', image: raw })).toEqual(raw);
  });

  it('throws IMAGE errors naming the file for broken inputs', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } }).png().toBuffer();
    const text = join(tmp, 'notes.jpg');
    writeFileSync(text, 'this is not a jpeg\n');
    const empty = join(tmp, 'empty.png');
    writeFileSync(empty, '');
    const cases: [Parameters<typeof decodeImage>[0], RegExp][] = [
      [bytes(png.subarray(0, png.length >> 1), 'cut.png'), /^cut\.png: /],
      [bytes(Buffer.alloc(0), 'zero.png'), /^zero\.png: empty file/],
      [{ kind: 'path', path: empty }, /empty\.png: /],
      [{ kind: 'path', path: text }, /notes\.jpg: not an image/],
      [{ kind: 'path', path: join(tmp, 'missing.png') }, /missing\.png: file not found/],
    ];
    for (const [source, message] of cases) {
      await expect(decodeImage(source)).rejects.toMatchObject({ code: 'IMAGE', message: expect.stringMatching(message) });
    }
  });

  it('refuses images above limitInputPixels', async () => {
    const png = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#000' } }).png().toBuffer();
    await expect(decodeImage(bytes(png, 'big.png'), { limitInputPixels: 5000 })).rejects.toMatchObject({ code: 'IMAGE' });
  });
});
