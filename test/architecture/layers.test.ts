import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readImportGraph, type ImportEdge } from './importGraph.js';
import { checkLayers, formatViolations, LAYERS } from './layers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const file = (from: string, to: string): ImportEdge => ({ from, to, kind: 'file' });

describe('src/ import graph', () => {
  it('points down the layers of docs/architecture.md, with no folder cycles', () => {
    const edges = readImportGraph(join(ROOT, 'src'));
    expect(edges.length).toBeGreaterThan(500);
    expect(formatViolations(checkLayers(edges))).toBe('');
  });

  it('docs/architecture.md states the same layers table as the check', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const rows = doc
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => [...line.split('|')[2].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, '')));
    expect(rows).toEqual(LAYERS);
  });
});

describe('checkLayers on a synthetic graph', () => {
  it('accepts imports down the rows, within a folder and of errors.ts', () => {
    const edges = [file('cli/main.ts', 'eval/plan.ts'), file('eval/plan.ts', 'datasets/a.ts'), file('datasets/a.ts', 'image/b.ts'),
      file('datasets/a.ts', 'datasets/c.ts'), file('image/b.ts', 'errors.ts'), file('model/x.ts', 'hub/y.ts'), file('errors.ts', 'util/leaf.ts')];
    expect(checkLayers(edges)).toEqual([]);
  });

  it('names the importing file, the imported file and the rows of an upward import', () => {
    const message = formatViolations(checkLayers([file('results/merge.ts', 'eval/shardManifest.ts')]));
    expect(message).toMatch(/^src\/results\/merge\.ts imports src\/eval\/shardManifest\.ts: results\/ is in row 5 .* may not import eval\/ in row 2/);
  });

  it('reports every edge of a folder cycle between siblings', () => {
    const violations = checkLayers([file('model/hubModel.ts', 'hub/resolve.ts'), file('hub/select.ts', 'model/dtypes.ts'), file('model/a.ts', 'prompts/b.ts')]);
    expect(violations.map((v) => `${v.from} ${v.to}`).sort()).toEqual(['hub/select.ts model/dtypes.ts', 'model/hubModel.ts hub/resolve.ts']);
    expect(violations[0].rule).toMatch(/folder cycle between hub\/, model\//);
  });

  it('finds a cycle through three folders', () => {
    const violations = checkLayers([file('metrics/a.ts', 'results/b.ts'), file('results/b.ts', 'report/c.ts'), file('report/c.ts', 'metrics/d.ts')]);
    expect(violations).toHaveLength(3);
  });

  it('keeps commander in cli/', () => {
    const edges: ImportEdge[] = [{ from: 'model/opts.ts', to: 'commander', kind: 'package' }, { from: 'cli/opts.ts', to: 'commander', kind: 'package' }];
    expect(formatViolations(checkLayers(edges))).toBe("src/model/opts.ts imports 'commander': package 'commander' may be imported only under cli/");
  });

  it('lets errors.ts import only dependency-free bottom-row files', () => {
    const edges = [file('errors.ts', 'util/suggest.ts'), file('util/suggest.ts', 'util/other.ts'), file('errors.ts', 'model/x.ts')];
    expect(checkLayers(edges).map((v) => v.to)).toEqual(['util/suggest.ts', 'model/x.ts']);
  });

  it('asks for a new folder to be placed in the table', () => {
    expect(formatViolations(checkLayers([file('plugins/a.ts', 'results/b.ts')]))).toMatch(/'plugins' is in no row of the layers table/);
  });
});

describe('readImportGraph', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads static, type-only, re-export and dynamic imports, not comments or strings', () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-layers-'));
    mkdirSync(join(dir, 'eval'));
    mkdirSync(join(dir, 'util'));
    writeFileSync(join(dir, 'util', 'u.ts'), 'export const u = 1;\n');
    writeFileSync(join(dir, 'eval', 'e.ts'), [
      "import { u } from '../util/u.js';",
      "import type { T } from '../results/t.js';",
      "export { m } from '../model/m.js';",
      "const lazy = () => import('../cli/main.js');",
      "import { Command } from 'commander';",
      "import { readFile } from 'node:fs/promises';",
      "// import { x } from '../report/x.js';",
      "const s = \"import { y } from '../shifts/y.js'\";",
    ].join('\n'));
    const edges = readImportGraph(dir).map((e) => `${e.from} ${e.to} ${e.kind}`);
    expect(edges).toEqual(['eval/e.ts util/u.ts file', 'eval/e.ts results/t.ts file', 'eval/e.ts model/m.ts file', 'eval/e.ts cli/main.ts file', 'eval/e.ts commander package']);
  });
});
