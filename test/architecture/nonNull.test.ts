import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dropNonNull, programFromConfig, unnecessaryNonNull } from '../../scripts/dev/dropNonNull.mjs';

interface Found {
  file: string;
  line: number;
  column: number;
  text: string;
}

describe('non-null assertions', () => {
  it('src/ and test/ write `!` only where the operand may be null or undefined', () => {
    const found = (unnecessaryNonNull(programFromConfig()) as Found[]).map((f) => `${f.file}:${f.line}:${f.column} ${f.text}`);
    expect(found.join('\n'), `unnecessary '!' (the operand's type excludes null and undefined): run 'node scripts/dev/dropNonNull.mjs' and commit the result`).toBe('');
  }, 180_000);
});

describe('dropNonNull on a synthetic file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds and removes only the assertions the compiler does not need', () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-nonnull-'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [] }, include: ['*.ts'] }));
    const source = [
      'const xs: number[] = [1, 2];',
      'const a = xs[0]!;', // unnecessary: no noUncheckedIndexedAccess
      'const m = new Map<string, number>();',
      "const b = m.get('k')!;", // needed: number | undefined
      'function f(s: string | null): number { if (s === null) return 0; return s!.length; }', // unnecessary after narrowing
      'function g<T>(t: T): T & {} { return t!; }', // needed: T may be undefined
      'let c: number | undefined;',
      'if (c! > 1) c = 0;', // needed: c is undefined here
      'const d = new Float64Array(2);',
      'd[0]! /= 2;', // unnecessary in an assignment target too
      'export { a, b, c, d, f, g };',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'x.ts'), source);
    const program = programFromConfig(join(dir, 'tsconfig.json'));
    const found = unnecessaryNonNull(program, dir) as Found[];
    const lines = source.split('\n');
    const columnOf = (line: number, text: string): number => lines[line - 1].indexOf(text) + text.length;
    expect(found.map((f) => `${f.line}:${f.column} ${f.text}`)).toEqual([`2:${columnOf(2, 'xs[0]!')} xs[0]!`, `5:${columnOf(5, 's!')} s!`, `10:${columnOf(10, 'd[0]!')} d[0]!`]);
    dropNonNull(found, dir);
    const fixed = readFileSync(join(dir, 'x.ts'), 'utf8');
    expect(fixed).toBe(source.replace('xs[0]!', 'xs[0]').replace('s!.length', 's.length').replace('d[0]!', 'd[0]'));
    expect(unnecessaryNonNull(programFromConfig(join(dir, 'tsconfig.json')), dir)).toEqual([]);
  });
});
