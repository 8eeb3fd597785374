/**
 * The run behind test/eval/golden/decodeOnce.json, shared by its generator and the test: three
 * models (two sharing a preprocessor config, all three do), a generated dataset and a folder of
 * PNGs with an empty file and a non-image, three shifts (one through sharp), two prompt sets,
 * batches of 8 so several chunks stream.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeShapesPngs } from '../../../dist/datasets/shapes/writePngs.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

export async function goldenSetup(work) {
  const folder = join(work, 'pngs');
  await writeShapesPngs(folder, { domain: 'dark', options: { n: '20', task: 'shape' } });
  await writeFile(join(folder, 'circle', 'empty.png'), new Uint8Array(0));
  await writeFile(join(folder, 'square', 'notes.png'), 'not an image\n');
  await mkdir(join(work, 'cache'), { recursive: true });
  return {
    folder,
    planInput: {
      models: ['tiny-clip-shapes', 'tiny-clip-shapes-robust', join(ROOT, 'models', 'tiny-clip-shapes-zoo', 'v32x2-s150.json')],
      datasets: ['shapes:standard?n=20&task=shape', `folder:${folder}`],
      prompts: ['shapes-shape', 'shapes-plain'],
      shifts: ['gaussian_noise:3', 'jpeg_compression:2', 'fog:2'],
      // The golden predates parameter sets (issue 25): its corruptions used ImageNet-C's numbers
      // scaled to the 64 px images, which is the 'scaled' set (auto would now pick Tiny-ImageNet-C's).
      shiftParams: /** @type {'scaled'} */ ('scaled'),
      ensembling: /** @type {'clip'} */ ('clip'), env: {},
    },
    settings: { cacheDir: null, batchSize: 8, decodeConcurrency: 4, exifRotate: false, skipExisting: false, argv: ['golden'], model: { threads: 1 } },
  };
}

/** What must not change: metrics, per-class numbers, skips and predictions (paths replaced by FOLDER). */
export function goldenEntry(result, predictions, folder) {
  const shift = result.shift ? `${result.shift.corruption}:${result.shift.severity}` : 'none';
  return {
    key: `${result.model.name}|${result.dataset.name}|${shift}|${result.prompts.name}`,
    metrics: result.metrics, perClass: result.perClass, confusion: result.confusion,
    skipped: result.skipped.map((s) => ({ id: s.id.split(folder).join('FOLDER'), reason: s.reason.split(folder).join('FOLDER') })),
    predictions,
  };
}
