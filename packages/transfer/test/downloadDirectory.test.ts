import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isStorageError } from "@blobkit/auth";
import { createTransferBudget } from "@blobkit/blobs";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { filledTmpfs } from "../../blobs/test/mounts.js";
import { downloadDirectory, uploadDirectory } from "../src/index.js";
import { containerOf, tempFolder, treeDigest, writeTree } from "./helpers.js";

describe("downloadDirectory", () => {
  test("sync down: a second run receives no data; a changed blob is fetched again; deleteExtraneous removes local extras", async ({
    azurite,
    container: c,
  }) => {
    const direct = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, { "a.txt": "a", "b/c.bin": 50_000, "b/d.txt": "d" });
    await uploadDirectory(direct, source.path);
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using target = await tempFolder();
    const first = await downloadDirectory(container, join(target.path, "new", "folder"));
    expect(first.transferred).toHaveLength(3);
    // The files carry the source files' modification times (from the blobs' mtime metadata).
    expect(Math.round((await stat(join(target.path, "new/folder/a.txt"))).mtimeMs)).toBe(
      Math.round((await stat(join(source.path, "a.txt"))).mtimeMs),
    );
    const received = proxy.stats.responseBodyBytes;
    const second = await downloadDirectory(container, join(target.path, "new", "folder"));
    expect(second.transferred).toEqual([]);
    expect(second.skipped.map((s) => s.reason)).toEqual(["unchanged", "unchanged", "unchanged"]);
    // Listing only: what comes back is the listing XML, not file data.
    expect(proxy.stats.responseBodyBytes - received).toBeLessThan(10_000);
    await writeFile(join(target.path, "new/folder/extra.txt"), "not in the container");
    await writeTree(source.path, { "b/d.txt": "d, changed" });
    await uploadDirectory(direct, source.path);
    const dry = await downloadDirectory(container, join(target.path, "new", "folder"), {
      deleteExtraneous: true,
      dryRun: true,
    });
    expect(dry.transferred.map((t) => t.name)).toEqual(["b/d.txt"]);
    expect(dry.deleted.map((d) => d.path)).toEqual([join(target.path, "new/folder/extra.txt")]);
    const sync = await downloadDirectory(container, join(target.path, "new", "folder"), {
      deleteExtraneous: true,
    });
    expect(sync.deleted).toEqual(dry.deleted);
    expect(await treeDigest(join(target.path, "new", "folder"))).toEqual(
      await treeDigest(source.path),
    );
  });

  test("blob names that cannot be local paths are reported, never written outside the folder", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await container.getBlockBlobClient("ok.txt").upload("ok", 2);
    await container.getBlockBlobClient("a//b.txt").upload("x", 1);
    await container.getBlockBlobClient("dir").upload("file", 4);
    await container.getBlockBlobClient("dir/inside.txt").upload("y", 1);
    await using target = await tempFolder();
    const error = await downloadDirectory(container, target.path).catch((e: unknown) => e);
    expect(isStorageError(error, "InvalidArgument")).toBe(true);
    const result = await downloadDirectory(container, target.path, { failurePolicy: "continue" });
    expect(result.failed.map((f) => f.name).sort()).toEqual(["a//b.txt", "dir"]);
    expect((await readdir(target.path, { recursive: true })).sort()).toEqual([
      "dir",
      "dir/inside.txt",
      "ok.txt",
    ]);
  });

  // About 200 MiB passes through the emulator that every test file of the run shares: under a
  // busy CI machine that takes longer than the default 30 s.
  test("a file of up to 64 MiB is one request, hashed as it arrives; a larger one is read in 16 MiB ranges; a dropped body resumes", {
    timeout: 120_000,
  }, async ({ azurite, container: c }) => {
    const MiB = 1024 * 1024;
    const direct = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, { "mid.bin": 20 * MiB, "big.bin": 70 * MiB });
    await uploadDirectory(direct, source.path);
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using target = await tempFolder();
    const result = await downloadDirectory(container, target.path);
    expect(result.counts.transferred).toBe(2);
    expect(await treeDigest(target.path)).toEqual(await treeDigest(source.path));
    // One listing, one GET for the 20 MiB file (more than one 16 MiB range), five 16 MiB ranges
    // for the 70 MiB one.
    expect(proxy.stats.requests).toBe(1 + 1 + 5);

    // The 20 MiB response drops half-way: the download goes on from the last byte received.
    await using cutting = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "cut-body", method: "GET", path: /mid\.bin/, times: 1, cutAfter: 0.5 }],
    });
    await using again = await tempFolder();
    const resumed = await downloadDirectory(
      await containerOf(azurite, c.name, cutting.url),
      again.path,
      { include: ["mid.bin"] },
    );
    expect(resumed.counts).toMatchObject({ transferred: 1, failed: 0 });
    expect(await treeDigest(again.path)).toEqual({
      "mid.bin": (await treeDigest(source.path))["mid.bin"],
    });
    expect(cutting.stats.faults["cut-body"]).toBe(1);
    expect(cutting.stats.responseBodyBytes).toBeLessThan(21 * MiB + 64 * 1024);
  });

  test("onto a full disk: FileSystemError naming the file and the cause, only whole files left; with space again, the same call finishes", async ({
    azurite,
    container: c,
    skip,
  }) => {
    await using disk = await filledTmpfs("1m", 900 * 1024);
    if (disk.skipped !== undefined) return skip(disk.skipped);
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(
      source.path,
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`d${i % 2}/f${i}.bin`, 30_000 + i])),
    );
    await uploadDirectory(container, source.path);
    const target = join(disk.path, "target");

    // One file at a time, so that the first few fit and the disk fills in the middle of one.
    const budget = createTransferBudget({ concurrency: 1 });
    const error = await downloadDirectory(container, target, { budget }).catch((e: unknown) => e);
    expect(isStorageError(error, "FileSystemError"), String(error)).toBe(true);
    expect((error as Error).message).toContain(target);
    expect((error as Error).message).toMatch(/the disk is full.*\(ENOSPC\)/);
    // What is under a final name is whole; no partial file is kept (it cannot help: the disk is
    // full).
    const expected = await treeDigest(source.path);
    const written = await treeDigest(target);
    expect(Object.keys(written).length).toBeGreaterThan(0);
    expect(Object.keys(written).length).toBeLessThan(10);
    for (const [path, digest] of Object.entries(written)) expect(digest).toBe(expected[path]);

    await disk.makeRoom();
    const second = await downloadDirectory(container, target);
    expect(second.failed).toEqual([]);
    expect(second.counts.skipped).toBe(Object.keys(written).length);
    expect(await treeDigest(target)).toEqual(expected);
  });
});
