import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import in src/: `from` imports `to` (both paths relative to src/, with `/`), or a package. */
export interface ImportEdge {
  from: string;
  /** A src/ file (`eval/plan.ts`) or, for a bare specifier, the package name (`commander`). */
  to: string;
  kind: 'file' | 'package';
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Every static, re-export, type-only and dynamic `import()` of every src/**\/*.ts file, read with
 * the TypeScript compiler's own pre-processor (not a regex), so comments and strings never count.
 * Relative specifiers are resolved to the src/ file they name (`./x.js` → `x.ts`).
 */
export function readImportGraph(srcDir: string): ImportEdge[] {
  const root = resolve(srcDir);
  const edges: ImportEdge[] = [];
  for (const file of listTs(root)) {
    const from = relative(root, file).split(sep).join('/');
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        edges.push({ from, to: packageName(spec), kind: 'package' });
        continue;
      }
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      edges.push({ from, to: relative(root, target).split(sep).join('/'), kind: 'file' });
    }
  }
  return edges;
}
