import { ZeroshiftError } from '../../errors.js';
import { hashValue } from '../../util/hash.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample, StreamOptions } from '../types.js';
import { canonicalShapesSpec, parseShapesOptions, SHAPES_OPTION_DOCS, type ShapesOptions } from './options.js';
import { renderScene } from './render.js';
import { GENERATOR_VERSION, sceneFor } from './scene.js';
import { taskFor } from './tasks.js';

/** Sample id of image `index`: `shapes-dark-000042`. */
export function shapesSampleId(domain: string, index: number): string {
  return `shapes-${domain}-${String(index).padStart(6, '0')}`;
}

/** Identity of a generated set: everything that changes a pixel or a label. */
export function shapesFingerprint(o: ShapesOptions): string {
  return hashValue({ generator: 'shapes', version: GENERATOR_VERSION, ...o });
}

/** Opens a generated shapes set; images are rendered one at a time as they are pulled. */
export function openShapes(o: ShapesOptions): Dataset {
  const task = taskFor(o.task, o.domain);
  const fingerprint = shapesFingerprint(o);
  return {
    spec: canonicalShapesSpec(o),
    adapter: 'shapes',
    name: `shapes-${o.domain}`,
    classNames: [...task.classNames],
    size: o.n,
    promptKey: `shapes-${o.task}`,
    fingerprint,
    async *samples(options?: StreamOptions): AsyncIterable<Sample> {
      for (let i = 0; i < o.n; i++) {
        if (options?.signal?.aborted) throw new ZeroshiftError('INTERRUPTED', `reading ${canonicalShapesSpec(o)} was aborted at image ${i}`);
        const scene = sceneFor(o.seed, o.domain, i, o.combos);
        yield {
          id: shapesSampleId(o.domain, i),
          image: { kind: 'generated', key: `${fingerprint}/${i}`, render: () => renderScene(scene, o.size) },
          label: task.labelOf(scene),
          metadata: { ...scene },
        };
      }
    },
  };
}

/** The `shapes` adapter: the embedded synthetic benchmark (docs/shapes.md). */
export const shapesAdapter: AdapterDef = {
  id: 'shapes',
  summary: 'the embedded synthetic shapes benchmark, rendered deterministically from a seed',
  format: 'generated in memory (docs/WORLD.md); domains standard, dark, sketch, heldout',
  options: SHAPES_OPTION_DOCS,
  example: 'shapes:dark?n=1000&seed=0&task=shape',
  open: async (spec: DatasetSpec) => openShapes(parseShapesOptions(spec.arg, spec.options)),
};
