import type { ImportEdge } from './importGraph.js';

/**
 * The layers of src/, top to bottom: a file may import files of its own row or any row below.
 * docs/architecture.md states the same table (layers.test.ts compares them).
 * Folders in one row may use each other as long as no two folders import each other, directly or
 * through others (a folder cycle); `errors.ts` may be imported from every layer.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'index.ts'],
  ['eval'],
  ['tasks'],
  ['embed'],
  ['datasets', 'model', 'prompts', 'metrics', 'results', 'report', 'compare', 'shifts', 'textShifts', 'cache', 'prepare', 'hub', 'probe'],
  ['image', 'util'],
];

/** Usable from every layer; it may itself import only dependency-free files of the bottom row. */
export const ANYWHERE = 'errors.ts';

/** npm packages only these src/ folders may import (the CLI alone parses flags). */
export const PACKAGE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  commander: ['cli'],
};

export interface LayerViolation {
  /** The importing file (relative to src/). */
  from: string;
  /** The imported file or package. */
  to: string;
  rule: string;
}

/** `eval/plan.ts` → `eval`; a file directly in src/ is its own unit (`errors.ts`). */
export function unitOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
}

function rowOf(unit: string): number {
  return LAYERS.findIndex((row) => row.includes(unit));
}

function describeRow(row: number): string {
  return `row ${row + 1} (${LAYERS[row].map((u) => (u.endsWith('.ts') ? u : `${u}/`)).join(' ')})`;
}

/** Strongly connected components (Tarjan) of a small directed graph, larger than one node. */
function cycles(nodes: readonly string[], next: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

/**
 * Every import of `edges` that breaks the layer rules, each naming the importing file, the
 * imported file (or package) and the rule. An empty list means the graph is layered.
 */
export function checkLayers(edges: readonly ImportEdge[]): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const fileEdges = edges.filter((e) => e.kind === 'file');
  const importsOf = new Map<string, string[]>();
  for (const e of fileEdges) importsOf.set(e.from, [...(importsOf.get(e.from) ?? []), e.to]);

  for (const e of edges) {
    const from = unitOf(e.from);
    if (e.kind === 'package') {
      const owners = PACKAGE_OWNERS[e.to];
      if (owners && !owners.includes(from)) {
        violations.push({ from: e.from, to: e.to, rule: `package '${e.to}' may be imported only under ${owners.map((o) => `${o}/`).join(', ')}` });
      }
      continue;
    }
    const to = unitOf(e.to);
    if (from === to || to === ANYWHERE) continue;
    if (from === ANYWHERE) {
      const leaf = rowOf(to) === LAYERS.length - 1 && (importsOf.get(e.to) ?? []).length === 0;
      if (!leaf) violations.push({ from: e.from, to: e.to, rule: `${ANYWHERE} is imported by every layer, so it may import only dependency-free files of ${describeRow(LAYERS.length - 1)}` });
      continue;
    }
    for (const unit of [from, to]) {
      if (rowOf(unit) < 0) {
        violations.push({ from: e.from, to: e.to, rule: `'${unit}' is in no row of the layers table: add it to LAYERS in test/architecture/layers.ts and to the table in docs/architecture.md` });
      }
    }
    if (rowOf(from) < 0 || rowOf(to) < 0) continue;
    if (rowOf(to) < rowOf(from)) {
      violations.push({ from: e.from, to: e.to, rule: `${from}/ is in ${describeRow(rowOf(from))} and may not import ${to}/ in ${describeRow(rowOf(to))}: imports point down the layers (move the shared code down, or pass it in)` });
    }
  }

  // Folder cycles among same-row siblings (a cycle across rows already broke the order above).
  const units = new Set<string>();
  const next = new Map<string, Set<string>>();
  for (const e of fileEdges) {
    const from = unitOf(e.from);
    const to = unitOf(e.to);
    if (from === to || from === ANYWHERE || to === ANYWHERE || rowOf(from) < 0 || rowOf(from) !== rowOf(to)) continue;
    units.add(from).add(to);
    next.set(from, (next.get(from) ?? new Set()).add(to));
  }
  for (const component of cycles([...units].sort(), next)) {
    const names = component.map((u) => `${u}/`).join(', ');
    for (const e of fileEdges) {
      if (component.includes(unitOf(e.from)) && component.includes(unitOf(e.to)) && unitOf(e.from) !== unitOf(e.to)) {
        violations.push({ from: e.from, to: e.to, rule: `folder cycle between ${names}: siblings may use each other in one direction only (decide which folder builds on which and move the other way's code)` });
      }
    }
  }
  return violations;
}

/** One line per violation: `src/a.ts imports src/b.ts: rule`. */
export function formatViolations(violations: readonly LayerViolation[]): string {
  return violations
    .map((v) => `src/${v.from} imports ${v.to.includes('.ts') ? `src/${v.to}` : `'${v.to}'`}: ${v.rule}`)
    .join('\n');
}
