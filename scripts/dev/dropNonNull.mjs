#!/usr/bin/env node
/**
 * Removes every non-null assertion `x!` whose operand's type (at that point, after narrowing)
 * already excludes null and undefined, in the files of tsconfig.test.json (src/ and test/).
 * The project keeps noUncheckedIndexedAccess off and writes `!` only where the compiler needs it
 * (docs/architecture.md); test/architecture/nonNull.test.ts fails on an unnecessary one and
 * points here.
 *
 *   node scripts/dev/dropNonNull.mjs           rewrite the files
 *   node scripts/dev/dropNonNull.mjs --check   list them, exit 1 if any
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The program of a tsconfig file (default: the repository's tsconfig.test.json). */
export function programFromConfig(configPath = resolve(ROOT, 'tsconfig.test.json')) {
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!config) throw new Error(`cannot read ${configPath}`);
  return ts.createProgram(config.fileNames, config.options);
}

const MAYBE_NULL = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Instantiable;

/** Whether `type` may be null or undefined; any, unknown and type parameters count as "may". */
function mayBeNullish(type) {
  if (type.isUnion()) return type.types.some(mayBeNullish);
  return (type.flags & MAYBE_NULL) !== 0;
}

/**
 * Every unnecessary `!` in the program's own .ts files (not .d.ts, not node_modules):
 * `{ file, line, column, text, position }` with 1-based line/column and the 0-based offset of `!`.
 */
export function unnecessaryNonNull(program, root = ROOT) {
  const checker = program.getTypeChecker();
  const found = [];
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/') || !sf.fileName.endsWith('.ts')) continue;
    const visit = (node) => {
      if (ts.isNonNullExpression(node) && !mayBeNullish(checker.getTypeAtLocation(node.expression))) {
        const bang = sf.text.lastIndexOf('!', node.end - 1);
        const { line, character } = sf.getLineAndCharacterOfPosition(bang);
        found.push({ file: relative(root, sf.fileName), line: line + 1, column: character + 1, text: node.getText(sf), position: bang });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** Removes the listed `!`s from their files; returns how many files changed. */
export function dropNonNull(found, root = ROOT) {
  const byFile = new Map();
  for (const f of found) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.position]);
  for (const [file, positions] of byFile) {
    const path = resolve(root, file);
    let text = readFileSync(path, 'utf8');
    for (const p of positions.sort((a, b) => b - a)) {
      if (text[p] !== '!') throw new Error(`${file}: expected '!' at offset ${p}`);
      text = text.slice(0, p) + text.slice(p + 1);
    }
    writeFileSync(path, text);
  }
  return byFile.size;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = unnecessaryNonNull(programFromConfig());
  if (process.argv.includes('--check')) {
    for (const f of found) console.log(`${f.file}:${f.line}:${f.column}  ${f.text}`);
    console.log(`${found.length} unnecessary non-null assertion(s)`);
    process.exitCode = found.length > 0 ? 1 : 0;
  } else {
    const files = dropNonNull(found);
    console.log(`removed ${found.length} unnecessary non-null assertion(s) from ${files} file(s); run npm run typecheck`);
  }
}
