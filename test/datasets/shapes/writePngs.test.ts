import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { renderScene } from '../../../src/datasets/shapes/render.js';
import { sceneFor } from '../../../src/datasets/shapes/scene.js';
import { writeShapesPngs } from '../../../src/datasets/shapes/writePngs.js';

let dir = '';
afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

it('writes an ImageFolder of lossless PNGs', async () => {
  dir = await mkdtemp(join(tmpdir(), 'shapes-png-'));
  const written = await writeShapesPngs(dir, { domain: 'sketch', options: { n: '6', seed: '2' } });
  expect(written).toHaveLength(6);
  const w = written[4];
  expect(w.path).toBe(join(w.className, 'shapes-sketch-000004.png'));
  const { data, info } = await sharp(join(dir, w.path)).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([64, 64, 3]);
  expect(new Uint8Array(data)).toEqual(renderScene(sceneFor(2, 'sketch', 4), 64).data);
});
