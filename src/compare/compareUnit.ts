import type { Prediction, Result } from '../results/schema.js';
import { mcnemar } from '../metrics/mcnemar.js';
import { newcombePairedDifference, type PairedTable } from './pairedDifference.js';
import { mismatch, type UnitPair } from './pairUp.js';

/** One item that one model got right and the other wrong: its label and each model's top-1. */
export interface FlipItem {
  id: string;
  label: string;
  a: { predicted: string; score: number };
  b: { predicted: string; score: number };
}

/** A class whose accuracy moved between A and B. */
export interface ClassMove {
  index: number;
  name: string;
  n: number;
  accA: number;
  accB: number;
  /** accB − accA. */
  change: number;
}

/** The paired comparison of one (dataset, shift, prompts) unit. */
export interface UnitComparison {
  n: number;
  accA: number;
  accB: number;
  /** B − A with its interval (Newcombe's paired score interval). */
  difference: { estimate: number; ci: [number, number] };
  table: PairedTable;
  /** McNemar's exact two-sided p over the discordant items (src/metrics/mcnemar.ts). */
  mcnemarP: number;
  /** A right, B wrong (B's most confident mistakes first), at most `flips`. */
  lost: FlipItem[];
  /** A wrong, B right (A's most confident mistakes first), at most `flips`. */
  gained: FlipItem[];
  /** The `topClasses` classes whose accuracy changed most (largest |change| first). */
  classes: ClassMove[];
  /** Every flipped item, in the order of `lost` and `gained` (compare-flips.jsonl lists them all). */
  allFlips: { lost: FlipItem[]; gained: FlipItem[] };
}

export interface CompareUnitOptions {
  confidence: number;
  flips: number;
  topClasses: number;
}

/**
 * Compares the per-item predictions of one unit pair: accuracy difference with its CI,
 * McNemar's exact p, the flipped items and the classes that moved most. Correctness is each
 * prediction's `correct` (the result's own scoring protocol), never `top[0] === label`.
 * @throws ZeroshiftError INPUT when the two sides were not scored on the same items (ids or
 * labels differ), naming both files.
 */
export function compareUnit(pair: UnitPair, predsA: readonly Prediction[], predsB: readonly Prediction[], o: CompareUnitOptions): UnitComparison {
  const bById = new Map(predsB.map((p) => [p.id, p]));
  checkSameItems(pair, predsA, predsB, bById);
  const a = [...predsA].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const b = a.map((p) => bById.get(p.id)!);
  const table: PairedTable = { bothRight: 0, onlyA: 0, onlyB: 0, bothWrong: 0 };
  const lost: [Prediction, Prediction][] = [];
  const gained: [Prediction, Prediction][] = [];
  const classes = pair.a.result.perClass.map((c) => ({ index: c.index, name: c.name, n: 0, okA: 0, okB: 0 }));
  a.forEach((pa, i) => {
    const pb = b[i];
    if (pa.correct && pb.correct) table.bothRight++;
    else if (pa.correct) (table.onlyA++, lost.push([pa, pb]));
    else if (pb.correct) (table.onlyB++, gained.push([pa, pb]));
    else table.bothWrong++;
    const c = classes[pa.label];
    if (c) (c.n++, (c.okA += Number(pa.correct)), (c.okB += Number(pb.correct)));
  });
  const n = a.length;
  const diff = newcombePairedDifference(table, o.confidence);
  const byConfidence = (side: 0 | 1) => (x: [Prediction, Prediction], y: [Prediction, Prediction]): number =>
    (y[side].scores[0] ?? 0) - (x[side].scores[0] ?? 0) || (x[0].id < y[0].id ? -1 : 1);
  const flip = flipNamer(pair.a.result, pair.b.result);
  const allLost = lost.sort(byConfidence(1)).map(flip);
  const allGained = gained.sort(byConfidence(0)).map(flip);
  return {
    n,
    accA: (table.bothRight + table.onlyA) / n,
    accB: (table.bothRight + table.onlyB) / n,
    difference: { estimate: diff.estimate, ci: diff.ci },
    table,
    mcnemarP: mcnemar(a.map((p) => p.correct), b.map((p) => p.correct), 'exact').pValue,
    lost: allLost.slice(0, o.flips),
    gained: allGained.slice(0, o.flips),
    classes: classes.filter((c) => c.n > 0 && c.okA !== c.okB)
      .map((c) => ({ index: c.index, name: c.name, n: c.n, accA: c.okA / c.n, accB: c.okB / c.n, change: (c.okB - c.okA) / c.n }))
      .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || y.n - x.n || x.index - y.index)
      .slice(0, o.topClasses),
    allFlips: { lost: allLost, gained: allGained },
  };
}

function flipNamer(ra: Result, rb: Result): (pair: [Prediction, Prediction]) => FlipItem {
  // Labels index the dataset's own classes (perClass) when the protocol maps them many-to-one;
  // predictions index the scored classes (dataset.classNames), as in the report's gallery.
  const labelNames = ra.scoringProtocol.labelColumns ? ra.perClass.map((c) => c.name) : ra.dataset.classNames;
  const top = (r: Result, p: Prediction) => ({ predicted: r.dataset.classNames[p.top[0] ?? -1] ?? `class ${p.top[0]}`, score: p.scores[0] ?? 0 });
  return ([pa, pb]) => ({ id: pa.id, label: labelNames[pa.label] ?? `class ${pa.label}`, a: top(ra, pa), b: top(rb, pb) });
}

function checkSameItems(pair: UnitPair, predsA: readonly Prediction[], predsB: readonly Prediction[], bById: ReadonlyMap<string, Prediction>): void {
  const aIds = new Set(predsA.map((p) => p.id));
  const onlyA = predsA.filter((p) => !bById.has(p.id));
  const onlyB = predsB.filter((p) => !aIds.has(p.id));
  if (onlyA.length > 0 || onlyB.length > 0 || aIds.size !== predsA.length || bById.size !== predsB.length) {
    const first = onlyA[0]?.id ?? onlyB[0]?.id ?? 'a repeated id';
    throw mismatch(pair, 'items', `${predsA.length} items`, `${predsB.length} items`, `${onlyA.length} of A's items are not in B and ${onlyB.length} of B's not in A (first: ${first})`);
  }
  const relabelled = predsA.find((p) => bById.get(p.id)!.label !== p.label);
  if (relabelled) throw mismatch(pair, `the label of item ${relabelled.id}`, String(relabelled.label), String(bById.get(relabelled.id)!.label), 'the two runs read different labels');
}
