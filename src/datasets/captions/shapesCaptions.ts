import { formatDatasetSpec } from '../spec.js';
import { openShapes } from '../shapes/adapter.js';
import { parseShapesOptions, SHAPES_OPTION_DOCS } from '../shapes/options.js';
import type { Scene } from '../shapes/scene.js';
import type { AdapterDef, Dataset, DatasetSpec } from '../types.js';

/**
 * Captions of a shapes scene, in the world's own words (WORLD.md's templates over
 * "<size> <colour> <shape>" and "<colour> <shape>"): three per image, so text → image and
 * image → text retrieval are both meaningful. Several images share a caption (the world has 8 × 8
 * combinations), which is exactly the tie case the retrieval metrics document.
 */
export function shapesCaptions(scene: Pick<Scene, 'shape' | 'color' | 'size'>): string[] {
  return [`a photo of a ${scene.color} ${scene.shape}.`, `a ${scene.size} ${scene.color} ${scene.shape}.`, `a picture of a ${scene.color} ${scene.shape}.`];
}

/** The shapes world as a captioned dataset: `shapes-captions:DOMAIN?n=&seed=` (same images as `shapes:`). */
async function open(spec: DatasetSpec): Promise<Dataset> {
  const { task: _task, ...rest } = spec.options;
  const o = parseShapesOptions(spec.arg, rest);
  const base = openShapes(o);
  return {
    ...base,
    spec: formatDatasetSpec({ adapter: 'shapes-captions', arg: o.domain, options: { n: String(o.n), seed: String(o.seed), size: String(o.size), combos: o.combos } }),
    adapter: 'shapes-captions',
    name: `shapes-${o.domain}-captions`,
    classNames: [],
    captioned: true,
    promptKey: undefined,
    fingerprint: `${base.fingerprint}:captions-v1`,
    async *samples(options = {}) {
      for await (const s of base.samples(options)) {
        const m = s.metadata as unknown as Scene;
        yield { ...s, label: -1, captions: shapesCaptions(m) };
      }
    },
  };
}

export const shapesCaptionsAdapter: AdapterDef = {
  id: 'shapes-captions',
  summary: 'the embedded shapes world with captions, for zero-shot retrieval demos',
  format: 'generated like shapes:; each image has three captions naming its colour, shape and size',
  options: Object.fromEntries(Object.entries(SHAPES_OPTION_DOCS).filter(([k]) => k !== 'task')),
  example: 'shapes-captions:standard?n=200',
  open,
};
