import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../image/rawImage.js';
import { shapesSampleId } from './adapter.js';
import { parseShapesOptions } from './options.js';
import { renderScene } from './render.js';
import { sceneFor } from './scene.js';
import { taskFor } from './tasks.js';

/** One image written by writeShapesPngs. */
export interface WrittenShape {
  id: string;
  label: number;
  className: string;
  /** Path relative to the output directory: `<className>/<id>.png`. */
  path: string;
}

/** Encodes an 8-bit RGB image as PNG bytes. */
export async function encodePng(image: RawImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
}

/**
 * Renders a shapes set and writes it as PNG files in the torchvision ImageFolder layout
 * (`dir/<class name>/<sample id>.png`), for tests and benchmarks of on-disk formats.
 * `options` are the spec's query options (`n`, `seed`, `task`, `size`, `combos`).
 */
export async function writeShapesPngs(
  dir: string,
  opts: { domain?: string; options?: Record<string, string> } = {},
): Promise<WrittenShape[]> {
  const o = parseShapesOptions(opts.domain ?? 'standard', opts.options ?? {});
  const task = taskFor(o.task, o.domain);
  await Promise.all(task.classNames.map((c) => mkdir(join(dir, c), { recursive: true })));
  const written: WrittenShape[] = [];
  for (let i = 0; i < o.n; i++) {
    const scene = sceneFor(o.seed, o.domain, i, o.combos);
    const id = shapesSampleId(o.domain, i);
    const label = task.labelOf(scene);
    const className = task.classNames[label];
    const path = join(className, `${id}.png`);
    // Plain writes: these files are regenerable, and an fsync per image would dominate.
    await writeFile(join(dir, path), await encodePng(renderScene(scene, o.size)));
    written.push({ id, label, className, path });
  }
  return written;
}
