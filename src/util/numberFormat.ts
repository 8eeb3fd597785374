/** Number formatting shared by the report writers, the CLI summary and the corruption table. */

/** A fraction as a percentage with one decimal, e.g. 0.4567 → "45.7". */
export function pct(fraction: number): string {
  return (fraction * 100).toFixed(1);
}

/** A 95 % interval as "[41.2, 50.3]". */
export function ciText(ci: readonly [number, number]): string {
  return `[${pct(ci[0])}, ${pct(ci[1])}]`;
}

/** Signed points, e.g. 0.123 → "+12.3"; null → "n/a". */
export function signedPoints(fraction: number | null): string {
  if (fraction === null) return 'n/a';
  const v = fraction * 100;
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;
}
