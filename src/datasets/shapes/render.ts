import { ZeroshiftError } from '../../errors.js';
import { makeRawImage, type RawImage } from '../../image/rawImage.js';
import { offsetPolygon, placeVertices, yExtent } from './geometry.js';
import { coverage, discCrossings, polygonCrossings, type CrossingFn } from './rasterize.js';
import type { Scene } from './scene.js';
import { CIRCLE_RADIUS, SHAPE_VERTICES, SKETCH_STROKE } from './world.js';

/** Sketch stroke width in pixels on a canvas of min side `side`. */
export function strokeWidth(side: number): number {
  return SKETCH_STROKE * side;
}

interface Region {
  crossings: CrossingFn;
  yMin: number;
  yMax: number;
}

/** The region to paint with the ink: the filled shape, or for sketches its outline ring. */
function shapeRegion(scene: Scene, width: number, height: number): Region {
  const half = Math.min(width, height) / 2;
  const cx = width / 2 + scene.cx * half;
  const cy = height / 2 + scene.cy * half;
  const radius = scene.R * half;
  const halfStroke = scene.domain === 'sketch' ? strokeWidth(2 * half) / 2 : 0;
  if (scene.shape === 'circle') {
    const r = CIRCLE_RADIUS * radius;
    const radii = halfStroke > 0 ? [r + halfStroke, Math.max(0, r - halfStroke)] : [r];
    return { crossings: discCrossings(cx, cy, radii), yMin: cy - r - halfStroke, yMax: cy + r + halfStroke };
  }
  const outline = placeVertices(SHAPE_VERTICES[scene.shape], radius, cx, cy, scene.rot);
  const rings = halfStroke > 0 ? [offsetPolygon(outline, halfStroke), offsetPolygon(outline, -halfStroke)] : [outline];
  const [yMin, yMax] = yExtent(rings);
  return { crossings: polygonCrossings(rings), yMin, yMax };
}

/**
 * Renders a scene anti-aliased onto a `size`×`size` canvas: 8-bit RGB (H, W, 3),
 * pixel = round(background + coverage · (ink − background)). Pure arithmetic on doubles,
 * so the bytes are identical on every platform.
 */
export function renderScene(scene: Scene, size = 64): RawImage {
  if (!Number.isInteger(size) || size < 8 || size > 4096) {
    throw new ZeroshiftError('DATASET', `shapes size must be an integer in [8, 4096], got ${size}`);
  }
  const img = makeRawImage(size, size);
  const region = shapeRegion(scene, size, size);
  const cov = coverage(size, size, region.crossings, region.yMin, region.yMax);
  const [br, bg, bb] = scene.background;
  const [ir, ig, ib] = scene.ink;
  const d = img.data;
  for (let p = 0; p < cov.length; p++) {
    const a = Math.min(1, cov[p]);
    d[3 * p] = Math.round(br + a * (ir - br));
    d[3 * p + 1] = Math.round(bg + a * (ig - bg));
    d[3 * p + 2] = Math.round(bb + a * (ib - bb));
  }
  return img;
}
