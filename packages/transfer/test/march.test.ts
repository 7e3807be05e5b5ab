import { access, rm } from "node:fs/promises";
import { join } from "node:path";
import { isStorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  downloadDirectory,
  type TransferEvent,
  type TransferProgress,
  uploadDirectory,
} from "../src/index.js";
import { blobNames, containerOf, tempFolder, writeTree } from "./helpers.js";

describe("folder by folder: transfers start while the scan goes on", () => {
  test("a download moves the files of a folder already compared while another folder's listing never answers", async ({
    azurite,
    container: c,
  }) => {
    const direct = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, { "a/1.txt": "one", "a/2.txt": "two", "z/3.txt": "three" });
    await uploadDirectory(direct, source.path);
    // The listing of "z/" is accepted and never answered: the scan cannot end.
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "stall", method: "GET", path: /prefix=z%2F/ }],
    });
    const container = await containerOf(azurite, c.name, proxy.url);
    await using target = await tempFolder();
    const stop = new AbortController();
    const reports: TransferProgress[] = [];
    let transferred = 0;
    const error = await downloadDirectory(container, target.path, {
      signal: stop.signal,
      onProgress: (p) => reports.push(p),
      progressIntervalMs: 0,
      onItem: (event) => {
        if (event.outcome === "transferred" && ++transferred === 2) stop.abort();
      },
    }).catch((e: unknown) => e);
    expect(isStorageError(error, "Aborted"), String(error)).toBe(true);
    // Both files of "a/" arrived, under their final names, while "z/" was still being listed.
    await access(join(target.path, "a", "1.txt"));
    await access(join(target.path, "a", "2.txt"));
    expect(reports.some((p) => p.phase === "transferring" && p.scanning)).toBe(true);
  });

  test("keepItems: false keeps counts, failures and deletions; onItem sees every item as it happens", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, {
      "top.txt": "t",
      "docs/a.txt": "a",
      "docs/deep/b.txt": "b",
      "old/x.txt": "x",
      "old/sub/y.txt": "y",
    });
    const events: TransferEvent[] = [];
    const first = await uploadDirectory(container, source.path, {
      keepItems: false,
      onItem: (event) => events.push(event),
    });
    expect(first.transferred).toEqual([]);
    expect(first.counts).toEqual({ transferred: 5, skipped: 0, failed: 0, deleted: 0 });
    expect(events.map((e) => `${e.outcome} ${e.item.name}`).sort()).toEqual([
      "transferred docs/a.txt",
      "transferred docs/deep/b.txt",
      "transferred old/sub/y.txt",
      "transferred old/x.txt",
      "transferred top.txt",
    ]);

    // A whole folder gone from the source: a sync deletes every blob below it (found by listing
    // that directory only once the folder is known to be gone), and nothing else.
    await rm(join(source.path, "old"), { recursive: true });
    events.length = 0;
    const sync = await uploadDirectory(container, source.path, {
      deleteExtraneous: true,
      keepItems: false,
      onItem: (event) => events.push(event),
    });
    expect(sync.counts).toEqual({ transferred: 0, skipped: 3, failed: 0, deleted: 2 });
    expect(sync.skipped).toEqual([]);
    expect(sync.deleted.map((d) => d.name).sort()).toEqual(["old/sub/y.txt", "old/x.txt"]);
    expect(events.filter((e) => e.outcome === "deleted")).toHaveLength(2);
    expect(await blobNames(container)).toEqual(["docs/a.txt", "docs/deep/b.txt", "top.txt"]);
  });

  test("a download sync deletes a whole local folder the prefix no longer has, as its dry run listed", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, { "keep/a.txt": "a" });
    await uploadDirectory(container, source.path);
    await using target = await tempFolder();
    await writeTree(target.path, { "gone/one.txt": "1", "gone/deeper/two.txt": "2" });
    const dry = await downloadDirectory(container, target.path, {
      deleteExtraneous: true,
      dryRun: true,
    });
    const listed = dry.deleted.map((d) => d.path).sort();
    expect(listed).toEqual([
      join(target.path, "gone", "deeper", "two.txt"),
      join(target.path, "gone", "one.txt"),
    ]);
    const real = await downloadDirectory(container, target.path, { deleteExtraneous: true });
    expect(real.counts).toMatchObject({ transferred: 1, deleted: 2, failed: 0 });
    expect(real.deleted.map((d) => d.path).sort()).toEqual(listed);
    await expect(access(join(target.path, "gone", "one.txt"))).rejects.toThrow();
    await access(join(target.path, "keep", "a.txt"));
  });
});
