import { plainProtocol } from '../datasets/scoringProtocol.js';
import type { EvalTarget } from './types.js';

/** A dataset given by spec alone: its own class space, in-distribution unless shifted. */
export function plainTarget(spec: string): EvalTarget {
  return { spec, family: null, variant: null, isStandard: true, subset: null, protocol: null, scoringProtocol: plainProtocol() };
}
