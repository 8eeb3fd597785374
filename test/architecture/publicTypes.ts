import { dirname, resolve, sep } from 'node:path';
import ts from 'typescript';

/** A type a public signature needs that src/index.ts does not export. */
export interface MissingType {
  /** The type's name and the src/ file that declares it. */
  name: string;
  file: string;
  /** The export whose signature reaches it, and the path there (`runPlan → PlanOptions.log`). */
  via: string;
}

function programFor(entry: string): ts.Program {
  const configPath = ts.findConfigFile(dirname(entry), ts.sys.fileExists, 'tsconfig.json');
  const config = configPath ? ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} }) : undefined;
  const options = config?.options ?? { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true };
  return ts.createProgram([entry], { ...options, noEmit: true });
}

/**
 * Walks every exported function's and class's signature in `entry` (a library entry point) and
 * the members of every type reached from it, and lists the named types declared under `srcDir`
 * that the entry does not export. Built-ins and other packages' types are the caller's to import.
 */
export function missingPublicTypes(entry: string, srcDir: string): MissingType[] {
  const program = programFor(resolve(entry));
  const checker = program.getTypeChecker();
  const src = resolve(srcDir) + sep;
  const entryFile = program.getSourceFile(resolve(entry))!;
  const moduleSymbol = checker.getSymbolAtLocation(entryFile)!;
  const exported = new Set<ts.Symbol>();
  const roots: [string, ts.Symbol][] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    exported.add(target);
    roots.push([symbol.name, target]);
  }
  const inSrc = (symbol: ts.Symbol | undefined): ts.Declaration | undefined =>
    symbol?.declarations?.find((d) => resolve(d.getSourceFile().fileName).startsWith(src));
  const missing = new Map<ts.Symbol, MissingType>();
  const seen = new Set<ts.Type>();

  const visitSignature = (signature: ts.Signature, via: string): void => {
    for (const p of signature.getParameters()) visit(checker.getTypeOfSymbol(p), `${via}(${p.name})`);
    visit(signature.getReturnType(), `${via}()`);
  };
  const visitMembers = (type: ts.Type, via: string): void => {
    for (const prop of type.getProperties()) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (decl && ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      if (prop.name.startsWith('#')) continue;
      visit(checker.getTypeOfSymbol(prop), `${via}.${prop.name}`);
    }
    for (const s of type.getCallSignatures()) visitSignature(s, via);
    for (const s of type.getConstructSignatures()) visitSignature(s, `new ${via}`);
  };
  const named = (symbol: ts.Symbol | undefined, via: string): boolean => {
    const decl = inSrc(symbol);
    if (!symbol || !decl) return false;
    if (!exported.has(symbol) && !missing.has(symbol)) {
      missing.set(symbol, { name: symbol.name, file: resolve(decl.getSourceFile().fileName).slice(src.length).split(sep).join('/'), via });
    }
    return true;
  };
  function visit(type: ts.Type, via: string): void {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.aliasSymbol) {
      named(type.aliasSymbol, via);
      for (const arg of type.aliasTypeArguments ?? []) visit(arg, `${via}<>`);
    }
    if (type.isUnionOrIntersection()) {
      for (const t of type.types) visit(t, via);
      return;
    }
    if (type.flags & ts.TypeFlags.Object) {
      const object = type as ts.ObjectType;
      if (object.objectFlags & ts.ObjectFlags.Reference) {
        for (const arg of checker.getTypeArguments(type as ts.TypeReference)) visit(arg, `${via}<>`);
      }
      const symbol = type.getSymbol();
      const declared = symbol && (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.Enum)) !== 0;
      if (declared) named(symbol, via);
      // Members of our own types (named or anonymous); other packages' types stop here.
      if (!symbol || inSrc(symbol) || symbol.flags & ts.SymbolFlags.TypeLiteral || symbol.flags & ts.SymbolFlags.ObjectLiteral) {
        visitMembers(type, via.length > 0 ? via : symbol?.name ?? '');
      }
    }
  }

  for (const [name, symbol] of roots) {
    if (symbol.flags & ts.SymbolFlags.Function) {
      for (const s of checker.getTypeOfSymbol(symbol).getCallSignatures()) visitSignature(s, name);
    } else if (symbol.flags & ts.SymbolFlags.Class) {
      const classType = checker.getTypeOfSymbol(symbol);
      for (const s of classType.getConstructSignatures()) visitSignature(s, `new ${name}`);
      visitMembers(checker.getDeclaredTypeOfSymbol(symbol), name);
    } else if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      visit(checker.getDeclaredTypeOfSymbol(symbol), name);
    } else if (symbol.flags & ts.SymbolFlags.Variable) {
      visit(checker.getTypeOfSymbol(symbol), name);
    }
  }
  return [...missing.values()].sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}
