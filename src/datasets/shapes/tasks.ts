import { ZeroshiftError } from '../../errors.js';
import { Registry } from '../../util/registry.js';
import type { Scene } from './scene.js';
import { COLORS, SHAPES, type Domain } from './world.js';

/** A classification task over shapes scenes (WORLD.md's task table). */
export interface ShapesTask {
  id: string;
  /** Class names in label order. */
  classNames: readonly string[];
  /** Label of a scene. */
  labelOf(scene: Scene): number;
  /** Domains where the task makes no sense (sketches carry no colour). */
  excludedDomains: readonly Domain[];
}

const shapeTask: ShapesTask = {
  id: 'shape',
  classNames: SHAPES,
  labelOf: (s) => SHAPES.indexOf(s.shape),
  excludedDomains: [],
};

const colorTask: ShapesTask = {
  id: 'color',
  classNames: COLORS.map((c) => `${c} shape`),
  labelOf: (s) => COLORS.indexOf(s.color),
  excludedDomains: ['sketch'],
};

// Colour-major: class index = colour · 8 + shape.
const colorShapeTask: ShapesTask = {
  id: 'color_shape',
  classNames: COLORS.flatMap((c) => SHAPES.map((s) => `${c} ${s}`)),
  labelOf: (s) => COLORS.indexOf(s.color) * SHAPES.length + SHAPES.indexOf(s.shape),
  excludedDomains: ['sketch'],
};

/** Tasks by id. */
export const SHAPES_TASKS = new Registry<ShapesTask>('shapes task', 'DATASET')
  .register(shapeTask.id, shapeTask)
  .register(colorTask.id, colorTask)
  .register(colorShapeTask.id, colorShapeTask);

/** The task `id` for `domain`; throws when the task is unknown or undefined on that domain. */
export function taskFor(id: string, domain: Domain): ShapesTask {
  const task = SHAPES_TASKS.get(id);
  if (task.excludedDomains.includes(domain)) {
    const ok = SHAPES_TASKS.ids().filter((t) => !SHAPES_TASKS.get(t).excludedDomains.includes(domain));
    throw new ZeroshiftError('DATASET', `shapes task '${id}' is not defined on domain '${domain}' (sketches have no colour); valid there: ${ok.join(', ')}`);
  }
  return task;
}
