/**
 * The repository's import graph, read with TypeScript's own pre-processor (no type checking): every static import,
 * re-export and dynamic `import('…')` of a string literal, resolved to a repository file through relative paths and
 * the subpath imports of package.json (`#domain/…`). Package imports are kept by name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import of a repository file. */
export interface ImportEdge {
  /** The importing file, repository-relative with `/`. */
  readonly from: string;
  /** The imported repository file, or the package specifier (`mysql2/promise`). */
  readonly to: string;
  readonly specifier: string;
  readonly kind: 'file' | 'package';
  /** `import type` / `export type` only: erased at run time. */
  readonly typeOnly: boolean;
}

const SOURCE_ROOTS = ['lambdas', 'local', 'cdk', 'statemachines', 'bench', 'test', 'bin'];
const SKIPPED = new Set(['node_modules', '.out', 'cdk.out', 'results']);

/** Every .ts file under the source roots, repository-relative. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) continue;
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const dir of SOURCE_ROOTS) walk(dir);
  return files.sort();
}

function subpathImports(root: string): [string, string][] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    imports?: Record<string, string>;
  };
  return Object.entries(pkg.imports ?? {}).map(([key, target]) => [
    key.replace(/\*$/, ''),
    posix.normalize(target.replace(/\*$/, '')),
  ]);
}

/** Type-only imports: `import type …`, `export type …` and imports whose every named binding is `type`. */
function typeOnlySpecifiers(source: ts.SourceFile): Set<string> {
  const typeOnly = new Set<string>();
  const valued = new Set<string>();
  for (const statement of source.statements) {
    let specifier: string | undefined;
    let isType = false;
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      isType =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      specifier = statement.moduleSpecifier.text;
      isType =
        statement.isTypeOnly ||
        (statement.exportClause !== undefined &&
          ts.isNamedExports(statement.exportClause) &&
          statement.exportClause.elements.length > 0 &&
          statement.exportClause.elements.every((element) => element.isTypeOnly));
    }
    if (specifier === undefined) continue;
    (isType ? typeOnly : valued).add(specifier);
  }
  for (const specifier of valued) typeOnly.delete(specifier);
  return typeOnly;
}

/** The import graph of the repository at `root`. */
export function importGraph(root: string): ImportEdge[] {
  const aliases = subpathImports(root);
  const files = sourceFiles(root);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), 'utf8');
    const info = ts.preProcessFile(text, true, true);
    const typeOnly = typeOnlySpecifiers(ts.createSourceFile(from, text, ts.ScriptTarget.ES2023, false));
    for (const { fileName: specifier } of info.importedFiles) {
      let target: string | undefined;
      if (specifier.startsWith('.')) target = posix.normalize(posix.join(posix.dirname(from), specifier));
      else {
        const alias = aliases.find(([prefix]) => specifier.startsWith(prefix));
        if (alias) target = posix.join(alias[1], specifier.slice(alias[0].length));
      }
      const base = { from, specifier, typeOnly: typeOnly.has(specifier) };
      if (target === undefined) edges.push({ ...base, to: specifier, kind: 'package' });
      else if (known.has(target)) edges.push({ ...base, to: target, kind: 'file' });
    }
  }
  return edges;
}

/** The strongly connected components of more than one file (import cycles), each sorted. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.kind !== 'file') continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  // Tarjan's algorithm, iterative enough for a few thousand files.
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string) => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!indices.has(target)) {
        connect(target);
        lowlinks.set(node, Math.min(lowlinks.get(node) as number, lowlinks.get(target) as number));
      } else if (onStack.has(target)) {
        lowlinks.set(node, Math.min(lowlinks.get(node) as number, indices.get(target) as number));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!indices.has(node)) connect(node);
  return cycles;
}

/** `root`-relative path with `/` separators. */
export function repoPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}
