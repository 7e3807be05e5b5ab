// The `checkpoint` option of folder transfers: what earlier runs moved survives a stop, a
// checkpoint that is not this transfer's is refused before any request and left as it is, and a
// finished transfer deletes its checkpoint. (The kill test is in kill-and-resume.test.ts.)
import { appendFile, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isStorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
// The tiny tmpfs of @blobkit/blobs' file tests (a full disk; skipped where mounting is refused).
import { filledTmpfs } from "../../blobs/test/mounts.js";
import {
  copyDirectory,
  downloadDirectory,
  type TransferOptions,
  type TransferProgress,
  uploadDirectory,
} from "../src/index.js";
import { blobNames, containerOf, tempFolder, treeDigest, writeTree } from "./helpers.js";

const FILES = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [`d${i % 4}/f${i}.txt`, `file ${i}`]),
);
const BYTES = Object.values(FILES).reduce((sum, text) => sum + text.length, 0);

/** Options that stop a transfer (as its caller would) once `files` files are transferred. */
function stopAfter(files: number): Pick<TransferOptions, "signal" | "onItem"> {
  const stop = new AbortController();
  let done = 0;
  return {
    signal: stop.signal,
    onItem: (event) => {
      if (event.outcome === "transferred" && ++done === files) stop.abort();
    },
  };
}

/** Fails with the error a transfer rejected with, or fails the test if it did not reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the transfer should have failed"),
    (error: unknown) => error,
  );
}

describe("checkpoint", () => {
  test("a stopped upload's checkpoint carries its files into the next run's result and progress; a finished run deletes it", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await using state = await tempFolder();
    await writeTree(source.path, FILES);
    const checkpoint = join(state.path, "up.checkpoint");
    // Stop after the 10th file (the caller aborts): the checkpoint stays for the next run.
    const first = await rejection(
      uploadDirectory(container, source.path, {
        checkpoint,
        ...stopAfter(10),
      }),
    );
    expect(isStorageError(first, "Aborted")).toBe(true);
    const lines = (await readFile(checkpoint, "utf8")).split("\n").filter(Boolean);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      format: "blobkit-transfer-checkpoint",
      version: 1,
      transfer: { operation: "upload directory", source: source.path },
    });
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ run: 1, pid: process.pid });
    const recorded = lines.filter((l) => l.startsWith("[")).length;
    expect(recorded).toBeGreaterThanOrEqual(10);

    const reports: TransferProgress[] = [];
    const earlier: string[] = [];
    const second = await uploadDirectory(container, source.path, {
      checkpoint,
      onProgress: (p) => reports.push({ ...p }),
      onItem: (event) => {
        if (event.outcome === "transferred" && event.earlierRun) earlier.push(event.item.name);
      },
    });
    expect(second.failed).toEqual([]);
    expect(second.skipped).toEqual([]);
    expect(second.counts.transferred).toBe(40);
    // Lines name the files the stopped run started; those it stored count as its own.
    const before = second.earlierRuns?.files ?? 0;
    expect(second.earlierRuns?.runs).toBe(1);
    expect(before).toBeGreaterThanOrEqual(10);
    expect(before).toBeLessThanOrEqual(recorded);
    expect(earlier).toHaveLength(before);
    expect(second.bytesTransferred).toBe(BYTES - (second.earlierRuns?.bytes ?? 0));
    expect(reports.at(-1)).toMatchObject({
      phase: "done",
      filesTotal: 40,
      filesDone: 40,
      filesSkipped: 0,
      bytesTotal: BYTES,
      bytesDone: BYTES,
    });
    expect(await readdir(state.path)).toEqual([]);

    // Without a checkpoint, the same files are unchanged: skipped, as always.
    const third = await uploadDirectory(container, source.path);
    expect(third.counts).toMatchObject({ transferred: 0, skipped: 40 });
  });

  test("a download resumes its totals from its checkpoint, whose last line a kill cut in half", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await using target = await tempFolder();
    await using state = await tempFolder();
    await writeTree(source.path, FILES);
    await uploadDirectory(container, source.path, { prefix: "p" });
    const checkpoint = join(state.path, "down.checkpoint");
    await rejection(
      downloadDirectory(container, target.path, {
        prefix: "p",
        checkpoint,
        ...stopAfter(5),
      }),
    );
    // What a kill in the middle of an append leaves.
    await appendFile(checkpoint, '["p/d0/f');
    const result = await downloadDirectory(container, target.path, { prefix: "p", checkpoint });
    expect(result.failed).toEqual([]);
    expect(result.counts).toMatchObject({ transferred: 40, skipped: 0 });
    expect(result.earlierRuns?.files).toBeGreaterThanOrEqual(5);
    expect(await treeDigest(target.path)).toEqual(await treeDigest(source.path));
    expect(await readdir(state.path)).toEqual([]);
  });

  test("a copy between prefixes carries its earlier run's files too; another destination prefix is another transfer", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await using state = await tempFolder();
    await writeTree(source.path, FILES);
    await uploadDirectory(container, source.path, { prefix: "src" });
    const checkpoint = join(state.path, "copy.checkpoint");
    const options = { sourcePrefix: "src", destinationPrefix: "dst", checkpoint };
    await rejection(
      copyDirectory(container, container, {
        ...options,
        ...stopAfter(5),
      }),
    );
    const elsewhere = await rejection(
      copyDirectory(container, container, { ...options, destinationPrefix: "other" }),
    );
    expect((elsewhere as Error).message).toMatch(/belongs to another transfer \(copy directory/);
    const result = await copyDirectory(container, container, options);
    expect(result.failed).toEqual([]);
    expect(result.counts).toMatchObject({ transferred: 40, skipped: 0 });
    expect(result.earlierRuns?.files).toBeGreaterThanOrEqual(5);
    expect(await readdir(state.path)).toEqual([]);
  });

  test("a checkpoint that is not this transfer's is refused before any request and left as it is", async ({
    azurite,
    container: c,
  }) => {
    const direct = await containerOf(azurite, c.name);
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using source = await tempFolder();
    await using state = await tempFolder();
    await writeTree(source.path, FILES);
    const notOne = join(state.path, "notes.txt");
    await writeFile(notOne, "my notes\n");
    const other = join(state.path, "other.checkpoint");
    // The checkpoint of an upload to prefix "a", stopped after its first file.
    await rejection(
      uploadDirectory(direct, source.path, { prefix: "a", checkpoint: other, ...stopAfter(1) }),
    );
    const otherText = await readFile(other, "utf8");
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      [notOne, {}, /is not a BlobKit transfer checkpoint/],
      [other, { prefix: "b" }, /belongs to another transfer \(upload directory from /],
      [other, { prefix: "a", exclude: "d1/**" }, /belongs to another transfer/],
      [join(source.path, "in.checkpoint"), {}, /inside the folder being transferred/],
      [state.path, {}, /is not a regular file/],
    ];
    expect(proxy.stats.requests).toBe(0);
    for (const [checkpoint, options, message] of cases) {
      const error = await rejection(
        uploadDirectory(container, source.path, { ...options, checkpoint }),
      );
      expect(isStorageError(error, "InvalidArgument"), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    await using target = await tempFolder();
    const download = await rejection(
      downloadDirectory(container, target.path, { prefix: "a", checkpoint: other }),
    );
    expect((download as Error).message).toMatch(/belongs to another transfer/);
    expect(proxy.stats.requests).toBe(0);
    expect(await readFile(notOne, "utf8")).toBe("my notes\n");
    expect(await readFile(other, "utf8")).toBe(otherText);
    expect(await readdir(source.path)).toEqual(["d0", "d1", "d2", "d3"]);
  });

  test("one checkpoint for two transfers at once is a Conflict; a dry run neither reads nor writes it", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await using state = await tempFolder();
    await writeTree(source.path, FILES);
    const checkpoint = join(state.path, "up.checkpoint");
    const dry = await uploadDirectory(container, source.path, { checkpoint, dryRun: true });
    expect(dry.counts.transferred).toBe(40);
    expect(dry.earlierRuns).toBeUndefined();
    expect(await readdir(state.path)).toEqual([]);
    const [a, b] = await Promise.allSettled([
      uploadDirectory(container, source.path, { checkpoint }),
      uploadDirectory(container, source.path, { checkpoint }),
    ]);
    const outcomes = [a, b].map((r) => r.status).sort();
    expect(outcomes).toEqual(["fulfilled", "rejected"]);
    const refused = [a, b].find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(isStorageError(refused.reason, "Conflict")).toBe(true);
    expect((refused.reason as Error).message).toMatch(/in use by another transfer in this process/);
  });

  test("a checkpoint on a full disk stops the transfer with the checkpoint's path and the cause; with space again, the same call finishes", async ({
    azurite,
    container: c,
    skip,
  }) => {
    // A 256 KiB file system filled but for one page (4 KiB): the checkpoint's lines of about 90
    // files. 2,000 files take a few seconds, so the lines are written while they go (at least
    // every 200 ms), not only once at the end. Without the filler, all 2,000 lines fit.
    await using disk = await filledTmpfs("256k", 252 * 1024);
    if (disk.skipped !== undefined) return skip(disk.skipped);
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    const files = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [
        `folder-${i % 20}/a-longer-file-name-${i}.txt`,
        `${i}`,
      ]),
    );
    await writeTree(source.path, files);
    const checkpoint = join(disk.path, "up.checkpoint");

    const first = await rejection(uploadDirectory(container, source.path, { checkpoint }));
    expect(isStorageError(first, "FileSystemError")).toBe(true);
    expect((first as Error).message).toContain(checkpoint);
    expect((first as Error).message).toMatch(/the disk is full.*\(ENOSPC\)/);
    // It stopped: not every file went, and what did go is whole (the next run compares them).
    expect((await blobNames(container)).length).toBeLessThan(2000);

    await disk.makeRoom();
    const second = await uploadDirectory(container, source.path, { checkpoint });
    expect(second.failed).toEqual([]);
    expect(second.counts.transferred + second.counts.skipped).toBe(2000);
    expect((await blobNames(container)).sort()).toEqual(Object.keys(files).sort());
    // Finished: the checkpoint is gone.
    expect(await readdir(disk.path)).toEqual([]);
  });
});
