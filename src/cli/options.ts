import { InvalidArgumentError } from 'commander';
import { closest } from '../util/suggest.js';

/** Commander parser for a positive integer flag. */
export function positiveInt(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

/** Commander parser for a finite number > 0. */
export function positiveNumber(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0, got '${v}'`);
    return n;
  };
}

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Commander parser for a choice flag; the message lists the valid choices. */
export function choice<T extends string>(name: string, choices: readonly T[]): (v: string) => T {
  return (v: string) => {
    if (!(choices as readonly string[]).includes(v)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}; got '${v}'${nearestChoice(v, choices)}`);
    return v as T;
  };
}

/**
 * `; did you mean 'x'?` for the choice nearest to `v`, whole or by its last word: `retrival`
 * is far from `zeroshot_retrieval` but one letter from its `retrieval`.
 */
function nearestChoice(v: string, choices: readonly string[]): string {
  const whole = closest(v, choices);
  const tails = new Map(choices.map((c) => [c.split(/[_-]/).at(-1) ?? c, c]));
  const tail = closest(v, [...tails.keys()]);
  const near = whole ?? (tail === undefined ? undefined : tails.get(tail));
  return near ? `; did you mean '${near}'?` : '';
}
