// How each package's src/ is laid out, checked on the sources themselves (no emulator needed):
//   (a) no source file is over 350 lines: a capability that needs more is split into internal/
//       parts (STYLE.md: one capability per file, one pipeline apart from its sources);
//   (b) no import cycle between a package's source files, type-only imports included;
//   (c) helpers never import a public capability file (rule below);
//   (d) src/index.ts only re-exports, so the whole public API is reviewable in one screen.
// Each check runs per package and fails with the exact files that break it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAX_LINES = 350;

interface Source {
  /** Path inside the package's src/, with `/` separators: `internal/batch.ts`. */
  path: string;
  text: string;
  ast: ts.SourceFile;
  /** Paths (inside src/) of the files it imports or re-exports from, relative imports only. */
  imports: string[];
}

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
      : entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")
        ? [`${prefix}${entry.name}`]
        : [],
  );
}

/** `./retryPolicy.js` seen from `internal/x.ts` -> `retryPolicy.ts` (NodeNext writes `.js`). */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  if (!specifier.startsWith(".")) return null;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((candidate) => files.has(candidate)) ?? null;
}

function loadPackage(name: string): Source[] {
  const src = join(repoRoot, "packages", name, "src");
  // A package without src/ yet gets no files, and fails "has a src/index.ts" instead of crashing.
  const paths = existsSync(src) ? walk(src).sort() : [];
  const files = new Set(paths);
  return paths.map((path) => {
    const text = readFileSync(join(src, path), "utf8");
    // preProcessFile reads import/export declarations and import() calls (type-only ones too),
    // and skips comments, so TSDoc examples' imports are not taken for the file's own.
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    const imports = specifiers.flatMap((s) => resolveImport(path, s, files) ?? []);
    const ast = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    return { path, text, ast, imports: [...new Set(imports)] };
  });
}

const packageNames = readdirSync(join(repoRoot, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const packages = new Map(packageNames.map((name) => [name, loadPackage(name)]));
const sourcesOf = (name: string): Source[] => packages.get(name) ?? [];

function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Strongly connected components of more than one file (or a file importing itself). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm: every cycle lies inside one component, and each component is reported
  // once with all its files, so a fix can be planned for the whole knot.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}

/** One concrete loop through a component, for the message: `a.ts -> b.ts -> a.ts`. */
function oneLoop(component: readonly string[], graph: ReadonlyMap<string, readonly string[]>) {
  const start = component[0] ?? "";
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() ?? "";
    for (const next of graph.get(node) ?? []) {
      if (!inside.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let at = node; at !== start; ) {
          at = previous.get(at) ?? start;
          path.unshift(at);
        }
        return [...path, start].join(" -> ");
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component.join(", ");
}

/** A literal, or an object or array of them: a constant's data, not code. */
function isData(node: ts.Expression): boolean {
  if (
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isParenthesizedExpression(node)
  )
    return isData(node.expression);
  if (ts.isObjectLiteralExpression(node))
    return node.properties.every((p) => ts.isPropertyAssignment(p) && isData(p.initializer));
  if (ts.isArrayLiteralExpression(node)) return node.elements.every(isData);
  if (ts.isPrefixUnaryExpression(node)) return isData(node.operand);
  // `15 * 60_000`, `"a" + "b"`: arithmetic on literals.
  if (ts.isBinaryExpression(node)) return isData(node.left) && isData(node.right);
  if (ts.isCallExpression(node) && node.expression.getText() === "Object.freeze")
    return node.arguments.every(isData);
  return (
    ts.isLiteralExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword
  );
}

const extendsAnError = (node: ts.ClassDeclaration) =>
  node.heritageClauses?.some((clause) =>
    clause.types.some((type) => /Error$/.test(type.expression.getText())),
  ) ?? false;

/**
 * The rule for (c). A file in a subfolder of src/ (`internal/`, `kit/`) is a helper, something
 * capabilities are built from; a file directly in src/ is a *public capability file* when it does
 * work, that is when any top-level statement is a function, a non-error class, a constant that
 * is not plain data (literals, objects and arrays of them, arithmetic on literals, `as const`,
 * `Object.freeze`), a value re-export or a statement run for its effect. A helper may import
 * other helpers and these files directly in src/, which hold what capabilities and helpers share:
 *   - `types.ts` and `kit.ts` (the toolbox's entry point), by name;
 *   - `*Error.ts`: the kit's error type, its code union, guard and factories;
 *   - any file that holds only types, type-only imports and exports, and plain-data constants.
 * `index.ts` is never allowed: it re-exports every capability. A helper that needs a type from a
 * capability file means that type belongs in `types.ts` (or the helper's own file).
 */
function isCapabilityFile(source: Pick<Source, "path" | "ast">): boolean {
  const { path, ast } = source;
  if (path.includes("/")) return false;
  if (path === "index.ts") return true;
  if (path === "types.ts" || path === "kit.ts" || /Error\.ts$/.test(path)) return false;
  return ast.statements.some((statement) => {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return false;
    if (ts.isImportDeclaration(statement) || ts.isModuleDeclaration(statement)) return false;
    if (ts.isExportDeclaration(statement)) return !statement.isTypeOnly;
    if (ts.isClassDeclaration(statement)) return !extendsAnError(statement);
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.some(
        (declaration) => !declaration.initializer || !isData(declaration.initializer),
      );
    }
    return true;
  });
}

describe.each(packageNames)("@blobkit/%s source structure", (name) => {
  const sources = sourcesOf(name);

  test("has a src/index.ts to check", () => {
    expect(sources.map((s) => s.path)).toContain("index.ts");
  });

  test(`(a) no source file is over ${MAX_LINES} lines`, () => {
    const tooLong = sources
      .filter((s) => lineCount(s.text) > MAX_LINES)
      .map((s) => `packages/${name}/src/${s.path}: ${lineCount(s.text)} lines`);
    expect(tooLong, "split these files: a helper part into src/internal/").toEqual([]);
  });

  test("(b) no import cycle between its source files (type-only imports included)", () => {
    const graph = new Map(sources.map((s) => [s.path, s.imports]));
    const cycles = importCycles(graph).map(
      (component) =>
        `packages/${name}/src: ${component.join(", ")} (e.g. ${oneLoop(component, graph)})`,
    );
    expect(cycles, "move what both sides need into a file they both import").toEqual([]);
  });

  test("(c) no helper (src/internal/, src/kit/) imports a public capability file", () => {
    const byPath = new Map(sources.map((s) => [s.path, s]));
    const violations = sources
      .filter((s) => s.path.includes("/"))
      .flatMap((s) =>
        s.imports
          .filter((target) => {
            const imported = byPath.get(target);
            return imported !== undefined && isCapabilityFile(imported);
          })
          .map((target) => `packages/${name}/src/${s.path} imports ${target}`),
      );
    expect(violations, "move the shared part into types.ts or src/internal/").toEqual([]);
  });

  test("(d) src/index.ts only re-exports (`export ... from`), no code", () => {
    const index = sources.find((s) => s.path === "index.ts");
    const code = (index?.ast.statements ?? [])
      .filter((statement) => !(ts.isExportDeclaration(statement) && statement.moduleSpecifier))
      .map((statement) => {
        const { line } = index?.ast.getLineAndCharacterOfPosition(statement.getStart()) ?? {
          line: 0,
        };
        const text = statement.getText().split("\n")[0]?.slice(0, 80);
        return `packages/${name}/src/index.ts:${line + 1}: ${text}`;
      });
    expect(code, "move this code into a capability file and re-export it").toEqual([]);
  });
});

test("the cycle finder reports each knot once, with a loop through it", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["c.ts", "d.ts"]],
    ["c.ts", ["a.ts"]],
    ["d.ts", []],
    ["e.ts", ["e.ts"]],
  ]);
  const cycles = importCycles(graph);
  expect(cycles).toEqual([["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
  expect(oneLoop(cycles[0] ?? [], graph)).toBe("a.ts -> b.ts -> c.ts -> a.ts");
});
