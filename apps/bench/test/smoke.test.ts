// A tiny run of `pnpm bench` (1 MiB, 20 small blobs, trees of 50 x 4 KiB and 2 x 1 MiB, one
// round): the benchmark still starts its own Azurite process, runs every scenario in a child
// process, and writes its JSON, Markdown and SVG. It asserts what the run produced, never how fast
// it was (timings are the benchmark's job).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { CHROMIUM } from "../src/browser.ts";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const bench = join(app, "src", "bench.ts");

interface BenchJson {
  rcloneVersion?: string;
  rows: {
    group: string;
    impl: string;
    rounds: number;
    rate: number;
    mbps?: number;
    opsPerSec?: number;
    cpuS: number;
    cpuSPerGiB: number;
    transferred?: number;
    changed?: number;
    hashCheckedRounds?: number;
  }[];
  targets: { group: string; text: string; ok: boolean }[];
}

test("a smoke run writes a result for every scenario, with ratios and targets", async () => {
  // The benchmark runs the built packages, as users get them (`pnpm test` builds them first).
  for (const name of ["blobs", "transfer"])
    if (!existsSync(join(app, "..", "..", "packages", name, "dist", "index.js"))) {
      throw new Error("packages are not built: run `pnpm build` first (`pnpm test` does)");
    }
  const out = await mkdtemp(join(tmpdir(), "blobkit-bench-smoke-"));
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          bench,
          "--sizes=1",
          "--rounds=1",
          "--small=20",
          "--concurrency=4",
          "--tree-small=50",
          "--tree-large=2x1",
          "--tree-scale=120",
          "--browser-sizes=1",
          `--out=${out}`,
        ],
        { timeout: 150_000 },
        (error, text, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(text),
      ),
    );
    expect(stdout).toContain("## Targets");
    const files = await readdir(out);
    const json = files.find((f) => f.endsWith(".json"));
    expect(json).toBeDefined();
    expect(files).toEqual(expect.arrayContaining(["latest.md", "latest.svg"]));
    const result = JSON.parse(await readFile(join(out, json ?? ""), "utf8")) as BenchJson;
    const implsOf = (group: string) =>
      result.rows
        .filter((r) => r.group === group)
        .map((r) => r.impl)
        .sort();
    const rowOf = (group: string, impl: string) =>
      result.rows.find((r) => r.group === group && r.impl === impl);
    const rclone = (...ids: string[]) => (result.rcloneVersion ? ids : []);
    expect(implsOf("upload 1 MiB")).toEqual(
      [
        "sdk-default",
        "sdk-md5",
        "sdk-staged-md5",
        "blobkit-default",
        "blobkit-no-whole-md5",
        "blobkit-crc64",
        "blobkit-no-checksum",
        "blobkit-stream",
        ...rclone("rclone"),
      ].sort(),
    );
    expect(implsOf("download 1 MiB")).toEqual(
      [
        "sdk-default",
        "sdk-buffer-tuned",
        "sdk-ranged-parallel",
        "blobkit-default",
        "blobkit-no-verify",
        "blobkit-not-durable",
        "blobkit-tuned",
        "blobkit-unverified-not-durable",
        // rclone's single-stream row only runs above its multi-thread cutoff (250 MiB).
        ...rclone("rclone", "rclone-ignore-checksum"),
      ].sort(),
    );
    expect(implsOf("20 x 1 KiB, concurrency 4")).toEqual(["blobkit", "sdk"]);
    for (const tree of ["50 x 4 KiB", "2 x 1 MiB"]) {
      const copies = ["blobkit", ...rclone("rclone-4", "rclone-16")].sort();
      expect(implsOf(`tree upload ${tree}`)).toEqual(copies);
      // The row in a smaller young generation is about the small-file tree's memory only, and
      // the emulator's ceiling (one GET per file) about small files only.
      const variants = [
        "blobkit-not-durable",
        ...(tree.includes("KiB") ? ["blobkit-small-young", "ceiling"] : []),
      ];
      expect(implsOf(`tree download ${tree}`)).toEqual([...copies, ...variants].sort());
      const syncs = implsOf(`tree sync ${tree}, no change`);
      expect(syncs).toEqual([...copies, ...rclone("rclone-onto-blobkit")].sort());
      // Every sync onto its own upload of an unchanged tree sends nothing and changes no blob.
      for (const impl of copies) {
        expect(rowOf(`tree sync ${tree}, no change`, impl)).toMatchObject({
          transferred: 0,
          changed: 0,
        });
        expect(rowOf(`tree upload ${tree}`, impl)?.transferred).toBe(
          tree.startsWith("50") ? 50 : 2,
        );
      }
    }
    // The memory group: each sync onto BlobKit's one upload of the larger tree sends nothing.
    const scale = "tree sync 120 x 4 KiB, no change";
    expect(implsOf(scale)).toEqual(["blobkit", "blobkit-lean", ...rclone("rclone-4")].sort());
    for (const impl of implsOf(scale))
      expect(rowOf(scale, impl)).toMatchObject({ transferred: 0, changed: 0 });
    // The browser group, where Chromium is installed (CI installs it).
    if (existsSync(CHROMIUM)) {
      expect(implsOf("browser upload 1 MiB")).toEqual([
        "browser-blobkit-default",
        "browser-sdk-blocks",
        "browser-sdk-default",
      ]);
      expect(implsOf("browser download 1 MiB")).toEqual([
        "browser-blobkit-default",
        "browser-sdk-default",
      ]);
    }
    if (result.rcloneVersion) {
      // The verified rclone row compared the MD5 BlobKit stored; --ignore-checksum did not.
      expect(rowOf("download 1 MiB", "rclone")?.hashCheckedRounds).toBe(1);
      expect(rowOf("download 1 MiB", "rclone-ignore-checksum")?.hashCheckedRounds).toBe(0);
    }
    for (const row of result.rows) {
      expect(row.rounds).toBe(1);
      expect(row.rate).toBeGreaterThan(0);
      expect(row.mbps ?? row.opsPerSec).toBe(row.rate);
      if (row.cpuS > 0) expect(row.cpuSPerGiB).toBeGreaterThan(0);
    }
    const markdown = await readFile(join(out, "latest.md"), "utf8");
    expect(markdown).toContain("## How to read");
    expect(markdown).toContain("### tree upload 50 x 4 KiB (files/s)");
    expect(markdown).toContain("### tree download 2 x 1 MiB (MiB/s)");
    expect(markdown).toMatch(/\| CPU s\/GiB \|/);
    expect(markdown).toMatch(/upload 1 MiB: BlobKit defaults [\d.]+x the best raw SDK/);
    expect(markdown).toMatch(/download 1 MiB: BlobKit defaults [\d.]+x the best raw SDK/);
    expect(markdown).toMatch(
      /BlobKit defaults \(MD5 verified, fsync\) \/ SDK `downloadToFile`: [\d.]+x/,
    );
    expect(markdown).toMatch(
      /BlobKit at the SDK's integrity \(`verify: false, durable: false`\) \/ SDK `downloadToFile` .*: [\d.]+x/,
    );
    expect(markdown).toMatch(
      /20 x 1 KiB, concurrency 4: BlobKit defaults [\d.]+x the best raw SDK/,
    );
    expect(markdown).toMatch(/tree upload 50 x 4 KiB: BlobKit peak RSS \d+ MiB/);
    expect(markdown).toMatch(/with `keepItems: false` .*: peak RSS \d+ MiB, at [\d.]+x the rate/);
    expect(markdown).toMatch(
      /`node --max-semi-space-size=8` .*: peak RSS \d+ MiB instead of \d+ .*, at [\d.]+x the rate/,
    );
    if (result.rcloneVersion) {
      expect(markdown).toMatch(/BlobKit verified \(defaults\) \/ rclone verified/);
      expect(markdown).toMatch(
        /BlobKit unverified, not flushed \(`verify: false, durable: false`\) \/ rclone `--ignore-checksum`/,
      );
      expect(markdown).toMatch(
        /tree sync 50 x 4 KiB, no change: BlobKit [\d.]+ files\/s \/ the best rclone/,
      );
    }
    expect(result.targets.length).toBeGreaterThan(0);
    const svg = await readFile(join(out, "latest.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBeGreaterThan(result.rows.length);
    expect(svg).toContain("CPU-s/GiB");
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
