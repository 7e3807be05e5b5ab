// Every ```ts block in an `@example` TSDoc tag of packages/*/src type-checks
// (scripts/check-examples.ts), so one broken example fails CI. Needs no emulator.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { extractExamples } from "../scripts/check-examples.ts";

const checker = join(dirname(fileURLToPath(import.meta.url)), "..", "scripts", "check-examples.ts");

/** Runs the checker in a child process, without blocking the event loop this worker shares. */
function runChecker(): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [checker], { stdio: ["ignore", "pipe", "pipe"] });
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

test("every @example in the packages' sources type-checks", async () => {
  const { code, output } = await runChecker();
  // The checker's output lists each failure as `file:line:column error TSxxxx: message`.
  expect(output).toMatch(/\d+ examples in \d+ files/);
  expect(code, output).toBe(0);
}, 180_000);

test("the extractor takes only ```ts blocks of @example tags, with their source lines", () => {
  const source = [
    "/**", // 1
    " * Finds blobs.", // 2
    " * ```ts", // 3: not in an @example
    " * notAnExample();", // 4
    " * ```", // 5
    " * @example", // 6
    " * ```ts", // 7
    ' * const query = tagQuery().where("@container", "=", "x");', // 8
    " *   await run(query); // *\\/ stays a comment's end", // 9
    " * ```", // 10
    " * ```sh", // 11
    " * npm install", // 12
    " * ```", // 13
    " * @param name - not code", // 14
    " */", // 15
    "export function findBlobs(name: string): void {}", // 16
  ].join("\n");
  const [example, ...rest] = extractExamples("packages/blobs/src/findBlobs.ts", source);
  expect(rest).toEqual([]);
  expect(example).toEqual({
    file: "packages/blobs/src/findBlobs.ts",
    index: 1,
    symbol: "findBlobs",
    code: 'const query = tagQuery().where("@container", "=", "x");\n  await run(query); // */ stays a comment\'s end',
    origin: [
      { line: 8, prefix: 3 },
      { line: 9, prefix: 3 },
    ],
  });
});
