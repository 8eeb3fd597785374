/** Compares by Unicode code point, as Python's `sorted` does for str (JS's default sorts UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Sorted copy in Python's order. */
export function pySorted(names: Iterable<string>): string[] {
  return [...names].sort(compareCodePoints);
}
