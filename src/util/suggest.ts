/**
 * Edit distance with adjacent transpositions (optimal string alignment): a swapped pair of
 * letters ("fgo" for "fog", "modles" for "models") is one typo, not two.
 */
export function editDistance(a: string, b: string): number {
  // Three rows: the transposition looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

/**
 * The closest candidate within a distance of max(2, 40 % of the length), or undefined. Words of
 * up to 3 characters allow one edit only: with two, any two-letter id is "near" any other
 * (`--language xx` suggested 'ar').
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length * 0.4));
  return bestD <= limit ? best : undefined;
}
