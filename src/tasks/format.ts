/** A fraction as a percentage with one decimal, '-' when absent (summary tables). */
export function pct(v: number | undefined): string {
  return v === undefined ? '-' : (100 * v).toFixed(1);
}

/** `contrast:3`, or `none`. */
export function shiftLabel(shift: { corruption: string; severity: number } | null): string {
  return shift ? `${shift.corruption}:${shift.severity}` : 'none';
}
