import { ZeroshiftError } from '../../errors.js';
import { createRng, hashString32, type Rng } from '../../util/rng.js';
import {
  COLORS, COLOR_RGB, DOMAINS, HELDOUT_COMBOS, SHAPES, isHeldout, sizeWord,
  type ColorName, type Domain, type ShapeName,
} from './world.js';

/** Bumped whenever a change to sampling or rendering changes any pixel; part of the fingerprint. */
export const GENERATOR_VERSION = 1;

/** Which colour-shape combinations the non-heldout domains draw from. */
export type ComboSet = 'all' | 'seen';
export const COMBO_SETS: readonly ComboSet[] = ['all', 'seen'];

/** Everything needed to render one image, in WORLD.md's units; also the sample metadata. */
export interface Scene {
  domain: Domain;
  shape: ShapeName;
  color: ColorName;
  size: 'small' | 'medium' | 'large';
  /** Radius factor: radius = R · min(W, H) / 2. */
  R: number;
  /** Centre offset in units of min(W, H) / 2. */
  cx: number;
  cy: number;
  /** Rotation in degrees, clockwise on screen for positive angles. */
  rot: number;
  /** Background RGB, 0–255 integers. */
  background: [number, number, number];
  /** Fill RGB (jittered colour), or the ink grey of a sketch outline. */
  ink: [number, number, number];
}

type Combo = readonly [ColorName, ShapeName];

const ALL_COMBOS: readonly Combo[] = COLORS.flatMap((c) => SHAPES.map((s) => [c, s] as const));
const SEEN_COMBOS: readonly Combo[] = ALL_COMBOS.filter(([c, s]) => !isHeldout(c, s));

function combosFor(domain: Domain, comboSet: ComboSet): readonly Combo[] {
  if (domain === 'heldout') return HELDOUT_COMBOS;
  return comboSet === 'seen' ? SEEN_COMBOS : ALL_COMBOS;
}

const clampByte = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));

function background(domain: Domain, rng: Rng): [number, number, number] {
  if (domain === 'sketch') {
    const g = clampByte(rng.uniform(235, 255));
    return [g, g, g];
  }
  const [lo, hi, tint] = domain === 'dark' ? [10, 50, 5] : [150, 250, 10];
  const grey = rng.uniform(lo, hi);
  return [0, 1, 2].map(() => clampByte(grey + rng.uniform(-tint, tint))) as [number, number, number];
}

function ink(domain: Domain, color: ColorName, rng: Rng): [number, number, number] {
  if (domain === 'sketch') {
    const g = clampByte(rng.uniform(0, 50));
    return [g, g, g];
  }
  return COLOR_RGB[color].map((v) => clampByte(v + rng.uniform(-12, 12))) as [number, number, number];
}

/**
 * Seed of scene `index`: an odd multiplier makes index → seed a bijection on 32 bits, so
 * the scenes of one (seed, domain) never share a random stream.
 */
function sceneSeed(seed: number, domain: Domain, index: number): number {
  return (hashString32(`shapes:${domain}:${seed}`) + Math.imul(index, 0x9e3779b1)) >>> 0;
}

/** Validates a domain name, listing the valid ones. */
export function parseDomain(value: string): Domain {
  if ((DOMAINS as readonly string[]).includes(value)) return value as Domain;
  throw new ZeroshiftError('DATASET', `unknown shapes domain '${value}'; valid: ${DOMAINS.join(', ')}`);
}

/**
 * The scene parameters of image `index` of a (seed, domain) set, drawn as WORLD.md says:
 * combo uniform over the domain's combinations, R ~ U[0.40, 0.78], cx, cy ~ U[−(0.95 − R),
 * 0.95 − R], rot ~ U[−15°, 15°], then background and ink. Random access: no state is shared
 * between indices.
 */
export function sceneFor(seed: number, domain: Domain, index: number, comboSet: ComboSet = 'all'): Scene {
  const rng = createRng(sceneSeed(seed, domain, index));
  const combos = combosFor(domain, comboSet);
  const [color, shape] = combos[rng.int(0, combos.length - 1)];
  const R = rng.uniform(0.4, 0.78);
  const m = 0.95 - R;
  const cx = rng.uniform(-m, m);
  const cy = rng.uniform(-m, m);
  const rot = rng.uniform(-15, 15);
  const bg = background(domain, rng);
  return { domain, shape, color, size: sizeWord(R), R, cx, cy, rot, background: bg, ink: ink(domain, color, rng) };
}
