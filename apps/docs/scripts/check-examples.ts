// Type-checks every ```ts block inside an `@example` TSDoc tag of packages/*/src: an example
// nobody compiles drifts from the API it shows. Each block becomes its own module and all of them
// go through one `tsc --noEmit` run with the workspace's strict options, `@blobkit/*` resolved to
// the packages' sources (the `@blobkit/source` condition), so no build is needed.
//
// An example must be self-contained: it imports what it uses and declares outside values
// (`declare const sasToken: string;`). The few names it may use without declaring are in
// scripts/example-prelude.ts. Top-level await works (every example is a module).
//
// Usage: node apps/docs/scripts/check-examples.ts [--keep]
//   --keep  keep the generated modules and tsconfig (the path is printed) to look at them.
// Prints one `file:line:column error TSxxxx: message` per problem, pointing into the package
// source, and exits 1 if any example fails, or if no example was found at all.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const docsRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = join(docsRoot, "..", "..");
const preludePath = join(docsRoot, "scripts", "example-prelude.ts");

/** One fenced ```ts block of an `@example` tag, and where each of its lines came from. */
export interface Example {
  /** Path of the source file, relative to the repository root, with `/` separators. */
  file: string;
  /** 1-based position of the block among the file's examples. */
  index: number;
  /** The declaration the comment documents (best effort, for messages). */
  symbol: string;
  /** The code, without the comment's ` * ` prefixes. */
  code: string;
  /** For each line of `code`: its 1-based line in the source file and the prefix length cut. */
  origin: { line: number; prefix: number }[];
}

const TS_LANGUAGES = new Set(["ts", "typescript", "mts"]);

/** A ```ts fence being read: its marker (to find the closing one) and the lines so far. */
interface OpenFence {
  marker: string;
  capture: Omit<Example, "code" | "symbol"> & { code: string[] };
}

/**
 * Finds the ```ts blocks inside `@example` tags of a file's `/** ... *\/` comments. An example
 * section runs from `@example` to the next block tag (`@param`, `@see`, ...) or the comment's end;
 * a line starting with `@` inside a fence (a decorator, `@container` in a tag query) is code.
 */
export function extractExamples(file: string, text: string): Example[] {
  const lines = text.split(/\r?\n/);
  const examples: Example[] = [];
  let inComment = false;
  let inExample = false;
  let fence: OpenFence | null = null;
  let pending: Omit<Example, "symbol">[] = [];
  let skipFence: string | null = null;

  const flush = (endLine: number) => {
    if (pending.length === 0) return;
    const symbol = symbolAfter(lines, endLine);
    for (const example of pending) examples.push({ ...example, symbol });
    pending = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!inComment) {
      const start = line.indexOf("/**");
      if (start === -1 || line.includes("*/", start + 3)) continue;
      inComment = true;
      inExample = false;
      fence = null;
      skipFence = null;
      continue;
    }
    const closes = line.indexOf("*/");
    const body = closes === -1 ? line : line.slice(0, closes);
    const prefixMatch = /^\s*\*(?: )?/.exec(body);
    const prefix = prefixMatch ? prefixMatch[0].length : 0;
    const content = body.slice(prefix);

    if (fence) {
      if (content.trim() === fence.marker) {
        pending.push({ ...fence.capture, code: fence.capture.code.join("\n") });
        fence = null;
      } else {
        // A comment cannot hold `*/`, so examples write `*\/`; the reader of the code sees `*/`.
        fence.capture.code.push(content.replaceAll("*\\/", "*/"));
        fence.capture.origin.push({ line: i + 1, prefix });
      }
    } else if (skipFence) {
      if (content.trim() === skipFence) skipFence = null;
    } else {
      const opening = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(content);
      if (opening) {
        const marker = opening[1] ?? "```";
        const language = (opening[2] ?? "").toLowerCase();
        if (inExample && TS_LANGUAGES.has(language)) {
          const index = examples.length + pending.length + 1;
          fence = { marker, capture: { file, index, code: [], origin: [] } };
        } else {
          skipFence = marker;
        }
      } else if (/^\s*@example\b/.test(content)) {
        inExample = true;
      } else if (/^\s*@\w+/.test(content)) {
        inExample = false;
      }
    }
    if (closes !== -1) {
      inComment = false;
      // An unclosed fence at the comment's end is a broken example: check what it has.
      if (fence) pending.push({ ...fence.capture, code: fence.capture.code.join("\n") });
      fence = null;
      flush(i + 1);
    }
  }
  return examples;
}

/** The name declared on the first code line after a comment, e.g. `uploadBlob`. */
function symbolAfter(lines: readonly string[], from: number): string {
  for (let i = from; i < Math.min(lines.length, from + 5); i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("//") || line.startsWith("@")) continue;
    const declared =
      /(?:function\*?|class|const|let|var|interface|type|enum)\s+([\w$]+)/.exec(line) ??
      /^(?:(?:public|private|protected|static|readonly|async|get|set|declare)\s+)*\*?\s*([\w$]+)\s*[?!]?\s*[(:<=]/.exec(
        line,
      );
    return declared?.[1] ?? line.slice(0, 40);
  }
  return "(end of file)";
}

/** Every non-test `.ts` file under packages/<name>/src, as paths relative to the repository. */
export function packageSourceFiles(root: string = repoRoot): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        entry.name.endsWith(".ts") &&
        !entry.name.endsWith(".d.ts") &&
        !/\.test\.ts$/.test(entry.name)
      ) {
        files.push(relative(root, path).split(sep).join("/"));
      }
    }
  };
  const packagesDir = join(root, "packages");
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const src = join(packagesDir, entry.name, "src");
    try {
      walk(src);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return files.sort();
}

/** `packages/blobs/src/internal/batch.ts`, example 2 -> `blobs__internal-batch__2.ts`. */
function moduleName(example: Example): string {
  const [, pkg = "", , ...rest] = example.file.split("/");
  const file = rest.join("-").replace(/\.ts$/, "");
  return `${pkg}__${file}__${example.index}.ts`;
}

interface Diagnostic {
  /** `file:line:column` in the package source (or the file tsc named, when not an example). */
  location: string;
  message: string;
  example?: Example;
}

/** Parses `tsc --pretty false` output; indented lines continue the previous message. */
function parseTscOutput(output: string, dir: string, byModule: Map<string, Example>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const match = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+: .*)$/.exec(line);
    const last = diagnostics.at(-1);
    if (!match) {
      if (last && /^\s/.test(line)) last.message += `\n    ${line.trim()}`;
      else diagnostics.push({ location: "tsc", message: line });
      continue;
    }
    const [, path = "", lineText = "0", columnText = "0", severity = "error", message = ""] = match;
    // tsc runs in the repository root and names files relative to it.
    const absolute = resolve(repoRoot, path);
    const example = dirname(absolute) === dir ? byModule.get(basename(absolute)) : undefined;
    if (example) {
      const origin = example.origin[Number(lineText) - 1];
      const sourceLine = origin?.line ?? example.origin[0]?.line ?? 0;
      const column = Number(columnText) + (origin?.prefix ?? 0);
      diagnostics.push({
        location: `${example.file}:${sourceLine}:${column}`,
        message: `${severity} ${message}`,
        example,
      });
    } else {
      const shown = relative(repoRoot, absolute).split(sep).join("/");
      diagnostics.push({
        location: `${shown}:${lineText}:${columnText}`,
        message: `${severity} ${message}`,
      });
    }
  }
  return diagnostics;
}

function runTsc(tsconfig: string): Promise<{ code: number; output: string }> {
  const tsc = join(
    dirname(createRequire(join(repoRoot, "package.json")).resolve("typescript/package.json")),
    "bin",
    "tsc",
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, "-p", tsconfig, "--pretty", "false"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function main(): Promise<number> {
  const keep = process.argv.includes("--keep");
  const files = packageSourceFiles();
  const examples = files.flatMap((file) =>
    extractExamples(file, readFileSync(join(repoRoot, file), "utf8")),
  );
  if (examples.length === 0) {
    console.error("No @example ```ts blocks found under packages/*/src: is the extractor broken?");
    return 1;
  }

  // The modules live under apps/docs/node_modules/.cache so that imports resolve as they do for
  // the docs app (its @blobkit/* and @azure/* dependencies, then the workspace root's).
  const cache = join(docsRoot, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "check-examples-"));
  const byModule = new Map<string, Example>();
  for (const example of examples) {
    const name = moduleName(example);
    byModule.set(name, example);
    writeFileSync(join(dir, name), `${example.code}\n`);
  }
  const tsconfig = join(dir, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: join(repoRoot, "tsconfig.base.json"),
        compilerOptions: {
          noEmit: true,
          customConditions: ["@blobkit/source"],
          types: ["node"],
          // Every example is a module, even one without imports, so top-level await works and
          // its names never leak into the next example.
          moduleDetection: "force",
          declaration: false,
          declarationMap: false,
          sourceMap: false,
        },
        files: [preludePath, ...[...byModule.keys()].map((name) => join(dir, name))],
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');

  try {
    const started = performance.now();
    const { code, output } = await runTsc(tsconfig);
    const diagnostics = parseTscOutput(output, dir, byModule);
    const failed = new Set(diagnostics.flatMap((d) => (d.example ? [d.example] : [])));
    for (const diagnostic of diagnostics) {
      const where = diagnostic.example
        ? ` (example ${diagnostic.example.index} of ${basename(diagnostic.example.file)}, ${diagnostic.example.symbol})`
        : "";
      console.log(`${diagnostic.location} ${diagnostic.message}${where}`);
    }
    const sourceCount = new Set(examples.map((e) => e.file)).size;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const outside = diagnostics.filter((d) => !d.example).length;
    console.log(
      `\n${examples.length} examples in ${sourceCount} files: ${examples.length - failed.size} passed, ` +
        `${failed.size} failed (${diagnostics.length - outside} errors in examples` +
        `${outside ? `, ${outside} elsewhere` : ""}; tsc ${seconds} s).`,
    );
    if (keep) console.log(`Generated modules kept in ${relative(process.cwd(), dir) || dir}`);
    // tsc's own exit code also catches what the parser might not recognise.
    return code === 0 && diagnostics.length === 0 ? 0 : 1;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) process.exitCode = await main();
