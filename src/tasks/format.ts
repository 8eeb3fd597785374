/** A fraction as a percentage with one decimal, '-' when absent (summary tables). */
export function pct(v: number | undefined): string {
  return v === undefined ? '-' : (100 * v).toFixed(1);
}

/** `contrast:3`, or `none`. */
export function shiftLabel(shift: { corruption: string; severity: number } | null): string {
  return shift ? `${shift.corruption}:${shift.severity}` : 'none';
}

/** The image shift, then the text shift when there is one: `fog:3 · text typo:2`, `none · text typo:2`. */
export function shiftsLabel(r: { shift: { corruption: string; severity: number } | null; textShift?: { name: string; severity: number } }): string {
  return r.textShift ? `${shiftLabel(r.shift)} · text ${r.textShift.name}:${r.textShift.severity}` : shiftLabel(r.shift);
}
