// Cancellation: every long operation (upload, download, list, copy poll, lease wait, folder
// transfers) stops within 1 s of abort(), leaves no committed partial blob and no half-written
// file, and leaves no open socket or timer behind. The last point needs a process of its own: each
// operation runs in a script under apps/reliability/scripts (plain Node, importing the BUILT
// packages by their public names) that checks the first two points itself and then simply returns;
// this test asserts that the process exits by itself, with code 0, in time. Two controls calibrate
// the check: the bare harness exits by itself, and a script that forgets a timer does not.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ms, writeArtifact } from "./artifacts.ts";
import { runScript, type ScriptRun } from "./runScript.ts";

/** A script that has done its work must be gone well within this. */
const EXIT_WITHIN_MS = 10_000;

const results: Record<string, unknown> = {};

beforeAll(() => {
  // The scripts import the packages as users do, which resolves to their build output.
  for (const name of ["auth", "containers", "blobs", "leases", "testing", "transfer"]) {
    const entry = fileURLToPath(
      new URL(`../../../packages/${name}/dist/index.js`, import.meta.url),
    );
    if (!existsSync(entry)) {
      throw new Error(
        `${entry} is missing: build the packages first (the root \`pnpm test\` does).`,
      );
    }
  }
});

afterAll(async () => {
  await writeArtifact("cancellation", results);
});

function record(name: string, run: ScriptRun): void {
  results[name] = {
    exitCode: run.code,
    exitedByItself: !run.killed,
    processMs: ms(run.totalMs),
    exitLagMs: run.exitLagMs === undefined ? undefined : ms(run.exitLagMs),
    ...run.result,
  };
}

function expectCleanExit(run: ScriptRun): void {
  const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  expect(run.killed, `the process did not exit by itself within ${EXIT_WITHIN_MS} ms`).toBe(false);
  expect(run.code, output).toBe(0);
  expect(run.result, output).toBeDefined();
}

/** Every `{ code, latencyMs }` pair in a script's result. */
function aborts(
  result: Record<string, unknown> | undefined,
): { code: string; latencyMs: number }[] {
  const found: { code: string; latencyMs: number }[] = [];
  const visit = (value: unknown) => {
    if (typeof value !== "object" || value === null) return;
    const v = value as { code?: unknown; latencyMs?: unknown };
    if (typeof v.code === "string" && typeof v.latencyMs === "number") {
      found.push({ code: v.code, latencyMs: v.latencyMs });
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(result);
  return found;
}

describe("cancellation, each in its own process", () => {
  test("control: the bare harness (Azurite, one upload, stop) exits by itself", async () => {
    const run = await runScript("control-clean.ts", EXIT_WITHIN_MS);
    record("control-clean", run);
    expectCleanExit(run);
  });

  test("control: a script that forgets a timer does NOT exit by itself (the check works)", async () => {
    const run = await runScript("control-leak.ts", 4_000);
    record("control-leak", run);
    expect(run.result, run.stderr).toBeDefined();
    expect(run.killed).toBe(true);
  });

  test.for([
    ["uploadBlob: a stalled source stream, and blocks held in flight", "cancel-upload.ts", 2],
    [
      "downloadBlob through a throttled proxy: to a file (resumable, and with resume: false), and as a stream",
      "cancel-download.ts",
      3,
    ],
    ["listBlobs: 1,000 blobs, the third page held by the proxy", "cancel-list.ts", 1],
    [
      "copyBlob: an asynchronous copy kept pending, with a prompt and a slow service",
      "cancel-copy.ts",
      2,
    ],
    [
      "acquireLease and withLease waiting for a held lease, and an acquire held in flight",
      "cancel-lease.ts",
      3,
    ],
    [
      "uploadDirectory, downloadDirectory and copyDirectory with requests held or throttled by the proxy",
      "cancel-transfer.ts",
      3,
    ],
  ] as const)(
    "%s: Aborted within 1 s, nothing left behind, the process exits by itself",
    async ([, script, cases]) => {
      const run = await runScript(script, EXIT_WITHIN_MS);
      record(script.replace(/\.ts$/, ""), run);
      expectCleanExit(run);
      // The script checked these itself; they are asserted again here so the report shows them.
      const found = aborts(run.result);
      expect(found).toHaveLength(cases);
      for (const outcome of found) {
        expect(outcome.code).toBe("Aborted");
        expect(outcome.latencyMs).toBeLessThanOrEqual(1_000);
      }
    },
  );
});
