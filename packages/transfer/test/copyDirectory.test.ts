import { isStorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { copyDirectory, uploadDirectory } from "../src/index.js";
import { blobNames, containerOf, tempFolder, writeTree } from "./helpers.js";

describe("copyDirectory", () => {
  test("copies a prefix server-side to another container and prefix; a second run copies nothing; deleteExtraneous syncs", async ({
    azurite,
    container: c,
  }) => {
    const source = await containerOf(azurite, c.name);
    const destination = source.getBlobClient("x").url.includes("devstoreaccount1")
      ? await containerOf(azurite, `${c.name.slice(0, 50)}-copy`)
      : source;
    await destination.create();
    try {
      await using folder = await tempFolder();
      await writeTree(folder.path, { "a.txt": "a", "dir/b.bin": 70_000, "dir/c d#.txt": "c" });
      await uploadDirectory(source, folder.path, { prefix: "src" });
      await using proxy = await startFaultProxy(azurite.blobEndpoint);
      const viaProxy = await containerOf(azurite, destination.containerName, proxy.url);
      const first = await copyDirectory(source, viaProxy, {
        sourcePrefix: "src",
        destinationPrefix: "dst",
      });
      expect(first.failed).toEqual([]);
      expect(first.transferred.map((t) => t.name).sort()).toEqual([
        "dst/a.txt",
        "dst/dir/b.bin",
        "dst/dir/c d#.txt",
      ]);
      // Server-side: no byte of the blobs went through the client.
      expect(proxy.stats.requestBodyBytes).toBe(0);
      for (const name of ["a.txt", "dir/b.bin", "dir/c d#.txt"]) {
        const [from, to] = await Promise.all([
          source.getBlobClient(`src/${name}`).downloadToBuffer(),
          destination.getBlobClient(`dst/${name}`).downloadToBuffer(),
        ]);
        expect(to.equals(from)).toBe(true);
      }
      const second = await copyDirectory(source, destination, {
        sourcePrefix: "src",
        destinationPrefix: "dst",
      });
      expect(second.transferred).toEqual([]);
      expect(second.skipped).toHaveLength(3);
      await source.getBlobClient("src/a.txt").delete();
      const sync = await copyDirectory(source, destination, {
        sourcePrefix: "src",
        destinationPrefix: "dst",
        deleteExtraneous: true,
      });
      expect(sync.deleted.map((d) => d.name)).toEqual(["dst/a.txt"]);
      expect(await blobNames(destination)).toEqual(["dst/dir/b.bin", "dst/dir/c d#.txt"]);
      // A whole virtual directory gone from the source: every blob below it goes too.
      await source.getBlobClient("src/dir/b.bin").delete();
      await source.getBlobClient("src/dir/c d#.txt").delete();
      const emptied = await copyDirectory(source, destination, {
        sourcePrefix: "src",
        destinationPrefix: "dst",
        deleteExtraneous: true,
      });
      expect(emptied.deleted.map((d) => d.name).sort()).toEqual([
        "dst/dir/b.bin",
        "dst/dir/c d#.txt",
      ]);
      expect(await blobNames(destination)).toEqual([]);
    } finally {
      await destination.delete();
    }
  });

  test("refuses a copy onto itself and bad prefixes before any request", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    for (const call of [
      () => copyDirectory(container, container),
      () => copyDirectory(container, container, { sourcePrefix: "a", destinationPrefix: "a/" }),
      // Nested prefixes in one container: into the source, or around it.
      () => copyDirectory(container, container, { destinationPrefix: "backup" }),
      () => copyDirectory(container, container, { sourcePrefix: "a/b", destinationPrefix: "a" }),
      () => copyDirectory(container, container, { destinationPrefix: "/abs" }),
      () => copyDirectory(container, {} as never),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(isStorageError(error, "InvalidArgument"), String(error)).toBe(true);
    }
  });
});
