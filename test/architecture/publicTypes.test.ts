import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingPublicTypes } from './publicTypes.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('src/index.ts', () => {
  it('exports every type declared in src/ that its exported functions, classes and types take or return', () => {
    const missing = missingPublicTypes(join(ROOT, 'src', 'index.ts'), join(ROOT, 'src'));
    const lines = missing.map((m) => `${m.name} (src/${m.file}), reached through ${m.via}: add 'export type { ${m.name} }' to src/index.ts`);
    expect(lines.join('\n')).toBe('');
  }, 120_000);
});

describe('missingPublicTypes on a synthetic package', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds types reached through parameters, return types, members and type arguments, and accepts exported ones', () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-public-'));
    writeFileSync(join(dir, 'types.ts'), [
      'export interface Options { log: Logger; when?: Date }',
      'export interface Logger { warn(message: string): void }',
      'export interface Outcome { rows: Row[] }',
      'export interface Row { id: string }',
      'export type Mode = "a" | "b";',
      'export class Store { constructor(private readonly secret: Secret) {} get(mode: Mode): Promise<Outcome> { return Promise.resolve({ rows: [] }); } }',
      'export interface Secret { key: string }',
    ].join('\n'));
    writeFileSync(join(dir, 'index.ts'), [
      "import type { Options, Outcome } from './types.js';",
      "export { Store } from './types.js';",
      "export type { Options } from './types.js';",
      'export function run(options: Options): Outcome { return { rows: [] }; }',
    ].join('\n'));
    const missing = missingPublicTypes(join(dir, 'index.ts'), dir).map((m) => `${m.name} ${m.via}`);
    expect(missing).toEqual(['Logger run(options).log', 'Mode new Store().get(mode)', 'Outcome run()', 'Row run().rows<>', 'Secret new Store(secret)']);
  });
});
