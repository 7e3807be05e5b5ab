import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import type { TransferProgress } from "@blobkit/transfer";
import { expect, test } from "vitest";
import { formatProgress, main, progressPrinter } from "../samples/transfer-folders.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

const MiB = 1024 * 1024;
const names = (items: ReadonlyArray<{ name: string }>) => items.map((item) => item.name).sort();

test("the transfer-folders sample uploads, downloads and copies folders, within a budget, past failures", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  // Source maps and node_modules excluded; every other file uploaded under site/.
  expect(names(results.published.transferred)).toEqual([
    "site/about/index.html",
    "site/css/site.css",
    "site/img/hero.jpg",
    "site/index.html",
    "site/js/app.js",
  ]);
  expect(results.published.failed).toEqual([]);
  expect(results.published.bytesTransferred).toBe(300 * 1024 + 13 + 14 + 18 + 17);
  // Only pages and style sheets came down, byte for byte.
  expect(names(results.pages.transferred)).toEqual([
    "site/about/index.html",
    "site/css/site.css",
    "site/index.html",
  ]);
  expect(results.pagesIdentical).toBe(true);
  // The copy was server-side: the client moved no bytes, the service copied all five.
  expect(names(results.backup.transferred)).toEqual([
    "site-2024-06-01/about/index.html",
    "site-2024-06-01/css/site.css",
    "site-2024-06-01/img/hero.jpg",
    "site-2024-06-01/index.html",
    "site-2024-06-01/js/app.js",
  ]);
  expect(results.backupIdentical).toBe(true);
  // One budget, two folders.
  expect(results.both.logs.transferred).toHaveLength(20);
  expect(results.both.logs.bytesTransferred).toBe(20 * 16 * 1024);
  expect(results.both.exports.bytesTransferred).toBe(4 * MiB);
  expect(results.withProgress.transferred).toHaveLength(16);
  expect(results.withProgress.bytesTransferred).toBe(16 * MiB);
  // failurePolicy "continue": the two good files are uploaded, the bad name is reported.
  expect(names(results.inbox.transferred)).toEqual(["inbox/a.txt", "inbox/b.txt"]);
  expect(results.inbox.failed).toHaveLength(1);
  expect(results.inbox.failed[0]).toMatchObject({ name: "inbox/draft.", code: "InvalidArgument" });
  expect(results.inbox.failed[0]?.message).toMatch(/draft\./);
  // The callback continued past it too; the good files were unchanged by then.
  expect(results.strict.failed.map((f) => f.code)).toEqual(["InvalidArgument"]);
  expect(results.strict.skipped.map((s) => s.reason)).toEqual(["unchanged", "unchanged"]);
  // A large tree keeps counts, not lists; the manifest has a line per file.
  expect(results.archived.counts).toEqual({ transferred: 12, skipped: 0, failed: 0, deleted: 0 });
  expect(results.archived.transferred).toEqual([]);
  expect(results.manifest).toHaveLength(12);
  expect(results.manifest).toContain("transferred\tarchive/part-1/file-4.txt\t6\n");
  expect(results.archivedAgain.counts).toMatchObject({ transferred: 0, skipped: 12 });
});

const progress = (over: Partial<TransferProgress>): TransferProgress => ({
  phase: "transferring",
  scanning: false,
  filesTotal: 10,
  filesDone: 0,
  filesSkipped: 0,
  filesFailed: 0,
  bytesTotal: 10 * MiB,
  bytesDone: 0,
  bytesPerSecond: 0,
  elapsedMs: 0,
  ...over,
});

test("the progress bar shows files, bytes, rate and time left", () => {
  expect(
    formatProgress(
      progress({ filesDone: 5, bytesDone: 5 * MiB, bytesPerSecond: 2 * MiB, etaSeconds: 3 }),
      10,
    ),
  ).toBe("[#####-----] 50% 5/10 files, 5.0/10.0 MiB, 2.0 MiB/s, 3 s left");
  expect(formatProgress(progress({ phase: "done", filesDone: 10, bytesDone: 10 * MiB }), 4)).toBe(
    "[####] 100% 10/10 files, 10.0/10.0 MiB, 0.0 MiB/s",
  );
  // While folders are still compared, the totals may grow: marked "+", and no time left yet.
  expect(
    formatProgress(
      progress({
        scanning: true,
        filesDone: 5,
        bytesDone: 5 * MiB,
        bytesPerSecond: MiB,
        etaSeconds: 5,
      }),
      10,
    ),
  ).toBe("[#####-----] 50% 5/10+ files, 5.0/10.0+ MiB, 1.0 MiB/s");
});

test("the progress printer redraws one line in a terminal and prints a few lines in a log", () => {
  const reports = [
    progress({ phase: "scanning" }),
    ...Array.from({ length: 100 }, (_, i) =>
      progress({ bytesDone: (i + 1) * 100 * 1024, elapsedMs: i * 200 }),
    ),
    progress({ phase: "done", filesDone: 10, bytesDone: 10 * MiB, elapsedMs: 20_000 }),
  ];
  let terminal = "";
  const onTerminal = progressPrinter({ isTTY: true, write: (text) => (terminal += text) });
  for (const report of reports) onTerminal(report);
  // Every report redraws the same line; only the last one ends it.
  expect(terminal.split("\r")).toHaveLength(reports.length + 1);
  expect(terminal.match(/\n/g)).toHaveLength(1);
  expect(terminal.endsWith("10/10 files, 10.0/10.0 MiB, 0.0 MiB/s\x1b[K\n")).toBe(true);

  let log = "";
  const onLog = progressPrinter({ isTTY: false, write: (text) => (log += text) });
  for (const report of reports) onLog(report);
  const lines = log.trimEnd().split("\n");
  // The start, then one line every 5 s (at 5, 10 and 15 s), and the end; no escape codes.
  expect(lines).toHaveLength(5);
  expect(lines[0]).toMatch(/^transferring: \[-+\] 0% 0\/10 files/);
  expect(lines.at(-1)).toMatch(/^done: \[#+\] 100% 10\/10 files/);
  expect(log.includes("\r") || log.includes("\x1b")).toBe(false);
});
