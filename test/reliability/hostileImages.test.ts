import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, writeFile, readdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { writeShapesPngs } from '../../src/datasets/shapes/writePngs.js';
import { runPlan, type PlanOutcome } from '../../src/eval/runPlan.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import { memoryLogger } from '../../src/util/log.js';
import type { EvalUnit } from '../../src/tasks/unit.js';

/** A PNG chunk with its CRC, so sharp reaches the header check rather than a checksum error. */
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A tiny PNG file whose header declares `width`×`height` RGB pixels (a decompression bomb shape). */
function declaredPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat([row, row]))), chunk('IEND', Buffer.alloc(0))]);
}

const solid = (w: number, h: number, colour = '#c04020') => sharp({ create: { width: w, height: h, channels: 3, background: colour } });

/** Hostile files that must be skipped, with a word their reason must contain. */
const BROKEN: Record<string, RegExp> = {
  'zero.jpg': /empty|0 bytes/,
  'truncated.png': /decode|truncat|premature|end/i,
  'corrupt.jpg': /decode|jpeg|corrupt|marker/i,
  'text.jpg': /not an image/,
  'bomb.png': /pixel/,
  'sliver.png': /aspect ratio/,
};

async function writeHostile(dir: string): Promise<void> {
  const png = await solid(32, 24).png().toBuffer();
  const jpg = await solid(32, 24).jpeg().toBuffer();
  const frames = Buffer.alloc(16 * 16 * 3 * 2, 0);
  frames.fill(255, 16 * 16 * 3);
  const broken: Record<string, Buffer> = {
    'zero.jpg': Buffer.alloc(0),
    'truncated.png': png.subarray(0, Math.floor(png.length / 2)),
    'corrupt.jpg': Buffer.concat([jpg.subarray(0, 4), Buffer.alloc(200, 0x5a)]),
    'text.jpg': Buffer.from('this is not an image\n'),
    'bomb.png': declaredPng(30000, 30000),
    // 1×200000: a small file whose shortest-edge resize would need gigabytes.
    'sliver.png': await solid(1, 200000).png().toBuffer(),
  };
  const good: Record<string, Buffer> = {
    'png-named.jpg': png,
    'grey.png': await solid(20, 20, '#777777').greyscale().png().toBuffer(),
    'palette.png': await solid(20, 20).png({ palette: true }).toBuffer(),
    '16bit.png': await solid(20, 20).toColourspace('rgb16').png().toBuffer(),
    'cmyk.jpg': await solid(20, 20).toColourspace('cmyk').jpeg().toBuffer(),
    'rgba.png': await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.3 } } }).png().toBuffer(),
    // torchvision's ImageFolder ignores .gif, so the GIF rides under a name it lists; content decides the decoder.
    'anim-gif.png': await sharp(frames, { raw: { width: 16, height: 32, channels: 3, pageHeight: 16 } }).gif().toBuffer(),
    'anim.webp': await sharp(frames, { raw: { width: 16, height: 32, channels: 3, pageHeight: 16 } }).webp({ loop: 0 }).toBuffer(),
    'exif6.jpg': await sharp(Buffer.from(Array.from({ length: 48 * 24 * 3 }, (_, i) => (i % 3 === 0 && i < 48 * 12 * 3 ? 255 : 30))), { raw: { width: 48, height: 24, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer(),
  };
  for (const [name, bytes] of Object.entries({ ...broken, ...good })) await writeFile(join(dir, name), bytes);
}

const unit = (spec: string): EvalUnit => ({ modelRef: 'tiny-clip-shapes', target: unknownTarget(spec), shift: null, promptSets: [{ templates: ['a photo of a {}.'] }], ensembling: 'clip' });

async function run(root: string, exifRotate: boolean): Promise<PlanOutcome> {
  return runPlan([unit(`folder:${root}`)], {
    outDir: await mkdtemp(join(tmpdir(), 'zs-hostile-out-')), cacheDir: null, batchSize: 8, decodeConcurrency: 4, exifRotate,
    skipExisting: false, argv: ['zeroshift', 'test'], log: memoryLogger(), model: {}, keepPredictions: true,
  });
}

describe('hostile images in a folder dataset', () => {
  let root: string;
  let goodCount: number;
  let hostileClass: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'zs-hostile-'));
    const written = await writeShapesPngs(root, { options: { n: '16' } });
    goodCount = written.length;
    // A class with no images is a configuration error of its own; keep only populated ones.
    const populated = new Set(written.map((w) => w.className));
    for (const d of await readdir(root)) if (!populated.has(d)) await rmdir(join(root, d));
    hostileClass = [...populated].sort()[0];
    await writeHostile(join(root, hostileClass));
  }, 30_000);

  it('completes, scores every decodable image and lists each broken one with a reason naming it', async () => {
    const outcome = await run(root, false);
    const [result] = outcome.results;
    const decodable = goodCount + 9;
    const hostileIds = outcome.predictions[0].map((p) => p.id).filter((id) => id.startsWith(`${hostileClass}/`) && !id.includes('shapes-'));
    expect(hostileIds.sort()).toEqual(['16bit.png', 'anim-gif.png', 'anim.webp', 'cmyk.jpg', 'exif6.jpg', 'grey.png', 'palette.png', 'png-named.jpg', 'rgba.png'].map((n) => `${hostileClass}/${n}`));
    expect(result.metrics.n).toBe(decodable);
    expect(result.skipped).toHaveLength(Object.keys(BROKEN).length);
    for (const [name, reason] of Object.entries(BROKEN)) {
      const entry = result.skipped.find((s) => s.id.endsWith(name));
      expect(entry, name).toBeDefined();
      expect(entry!.reason).toContain(name);
      expect(entry!.reason).toMatch(reason);
    }
    expect(outcome.predictions[0].some((p) => p.id.endsWith('anim.webp'))).toBe(true);
  }, 45_000);

  it('leaves EXIF-rotated JPEGs as stored by default and rotates them with exifRotate', async () => {
    const [plain, rotated] = [await run(root, false), await run(root, true)];
    const scoresOf = (o: PlanOutcome, suffix: string) => o.predictions[0].find((p) => p.id.endsWith(suffix))!.scores;
    expect(scoresOf(rotated, 'exif6.jpg')).not.toEqual(scoresOf(plain, 'exif6.jpg'));
    expect(scoresOf(rotated, 'grey.png')).toEqual(scoresOf(plain, 'grey.png'));
  }, 45_000);
});
