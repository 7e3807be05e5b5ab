// A tiny run of `pnpm bench` (1 MiB, 20 small blobs, one round): the benchmark still starts its
// own Azurite process, runs every scenario in a child process, and writes its JSON, Markdown and
// SVG. It asserts what the run produced, never how fast it was (timings are the benchmark's job).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const bench = join(app, "src", "bench.ts");

interface BenchJson {
  rcloneVersion?: string;
  rows: { group: string; impl: string; rounds: number; mbps?: number; opsPerSec?: number }[];
}

test("a smoke run writes a result for every scenario, with ratios and targets", async () => {
  // The benchmark runs the built packages, as users get them (`pnpm test` builds them first).
  if (!existsSync(join(app, "..", "..", "packages", "blobs", "dist", "index.js"))) {
    throw new Error("packages are not built: run `pnpm build` first (`pnpm test` does)");
  }
  const out = await mkdtemp(join(tmpdir(), "blobkit-bench-smoke-"));
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [bench, "--sizes=1", "--rounds=1", "--small=20", "--concurrency=4", `--out=${out}`],
        { timeout: 120_000 },
        (error, text, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(text),
      ),
    );
    expect(stdout).toContain("Targets:");
    const files = await readdir(out);
    const json = files.find((f) => f.endsWith(".json"));
    expect(json).toBeDefined();
    expect(files).toEqual(expect.arrayContaining(["latest.md", "latest.svg"]));
    const result = JSON.parse(await readFile(join(out, json ?? ""), "utf8")) as BenchJson;
    const implsOf = (group: string) =>
      result.rows.filter((r) => r.group === group).map((r) => r.impl);
    const rclone = result.rcloneVersion ? ["rclone"] : [];
    expect(implsOf("upload 1 MiB").sort()).toEqual(
      [
        "sdk-default",
        "sdk-md5",
        "sdk-staged-md5",
        "blobkit-default",
        "blobkit-no-checksum",
        "blobkit-stream",
        ...rclone,
      ].sort(),
    );
    expect(implsOf("download 1 MiB").sort()).toEqual(
      [
        "sdk-default",
        "sdk-buffer-tuned",
        "sdk-ranged-parallel",
        "blobkit-default",
        "blobkit-tuned",
        ...rclone,
      ].sort(),
    );
    expect(implsOf("20 x 1 KiB, concurrency 4").sort()).toEqual(["blobkit", "sdk"]);
    for (const row of result.rows) {
      expect(row.rounds).toBe(1);
      expect(row.mbps ?? row.opsPerSec).toBeGreaterThan(0);
    }
    const markdown = await readFile(join(out, "latest.md"), "utf8");
    expect(markdown).toMatch(/upload 1 MiB: BlobKit defaults [\d.]+x the best raw SDK/);
    expect(markdown).toMatch(/download 1 MiB: BlobKit defaults [\d.]+x the best raw SDK/);
    const svg = await readFile(join(out, "latest.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBeGreaterThan(result.rows.length);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
