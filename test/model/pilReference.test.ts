import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/image/decode.js';
import { readPreprocessorConfig } from '../../src/model/preprocessorConfig.js';
import { resizeAndCrop } from '../../src/model/preprocess.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const FIXTURES = join(PACKAGE_ROOT, 'test/fixtures/tiny-clip-shapes');
interface ResizeCase { file: string; source: string; pil_resized_png: string; width: number; height: number }
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as { resize_cases: ResizeCase[] };
const cfg = readPreprocessorConfig(join(PACKAGE_ROOT, 'models/tiny-clip-shapes/preprocessor_config.json'));

describe('resize + crop against PIL (stock Pillow bicubic, torchvision CenterCrop)', () => {
  it.each(reference.resize_cases.map((c) => [c.file, c]))('%s matches the PIL reference pixels exactly', async (_name, c) => {
    const src = await decodeImage({ kind: 'path', path: join(FIXTURES, c.source) });
    expect([src.width, src.height]).toEqual([c.width, c.height]);
    const ours = resizeAndCrop(src, cfg);
    const pil = await decodeImage({ kind: 'path', path: join(FIXTURES, c.pil_resized_png) });
    expect([ours.width, ours.height]).toEqual([pil.width, pil.height]);
    let maxDiff = 0;
    for (let i = 0; i < pil.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours.data[i] - pil.data[i]));
    expect(maxDiff).toBe(0);
  });
});
