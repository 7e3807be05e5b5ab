// How folder transfers list the service: a directory's whole subtree in one flat request when it
// fits in a page, by hierarchy (one request per virtual directory) when it does not, with the
// same result either way.
import { listBlobsByHierarchy } from "@blobkit/blobs";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadDirectory, uploadDirectory } from "../src/index.js";
import { pathFilter } from "../src/internal/filters.js";
import { type KnownSubtree, listRemoteLevel } from "../src/internal/listRemote.js";
import { containerOf, tempFolder, writeTree } from "./helpers.js";

/** A date-partitioned dataset: 2 years × 2 months × 3 days × 2 hours, one file in each hour. */
function partitions(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const year of ["2025", "2026"])
    for (const month of ["01", "02"])
      for (const day of ["01", "02", "03"])
        for (const hour of ["00", "12"])
          files[`year=${year}/month=${month}/day=${day}/hour=${hour}/part-0.json`] =
            `${year}${month}${day}${hour}`;
  return files;
}

describe("listing: whole subtrees in one request when they fit a page", () => {
  test("a no-change sync of a sparse tree of 24 files in 43 virtual directories sends one listing request", async ({
    azurite,
    container: c,
  }) => {
    const direct = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, partitions());
    await uploadDirectory(direct, source.path, { prefix: "events" });
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);

    const sync = await uploadDirectory(container, source.path, {
      prefix: "events",
      deleteExtraneous: true,
    });
    expect(sync.counts).toEqual({ transferred: 0, skipped: 24, failed: 0, deleted: 0 });
    // One flat listing of "events/" holds all 24 blobs; listing by hierarchy would have taken
    // one request per virtual directory (1 + 2 + 4 + 12 + 24 = 43).
    expect(proxy.stats.requests).toBe(1);

    await using target = await tempFolder();
    const before = proxy.stats.requests;
    const download = await downloadDirectory(container, target.path, { prefix: "events" });
    expect(download.counts.transferred).toBe(24);
    expect(proxy.stats.requests - before).toBe(1 + 24);
  });

  test("every level reads the same whether listed by hierarchy, from a page holding its whole subtree, or from a partial page", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    const names = [
      "a",
      "a/",
      "a/b",
      "a//c",
      "a/b/",
      "a/b/c.txt",
      "a/b/d/e.txt",
      "a.txt",
      "a-b/f.txt",
      "x.txt",
      "x.txt/y",
      "é/ü.txt",
      "dir with space/f#%.txt",
      "skip/me.txt",
      "keep/skip/no.txt",
      "keep/yes.txt",
      "z/1",
      "z/2",
      "z/3/4",
      "z/3/5",
      "😀/1",
      "😀/2/3",
    ];
    await Promise.all(
      names.map((name) => container.getBlockBlobClient(name).upload(name, name.length)),
    );
    const filter = pathFilter(undefined, ["skip/**", "**/*.md"]);

    /** Every level reachable from the root, listed by hierarchy with the SDK (the reference). */
    const reference = new Map<string, { files: string[]; folders: string[] }>();
    const pending = [""];
    while (pending.length > 0) {
      const level = pending.pop() ?? "";
      const files: string[] = [];
      const folders: string[] = [];
      for await (const item of listBlobsByHierarchy(container, level ? { prefix: level } : {})) {
        const key = item.name.slice(level.length);
        if (item.kind === "prefix") {
          if (filter.folder(`${level}${key.slice(0, -1)}`)) {
            folders.push(key.slice(0, -1));
            pending.push(item.name);
          }
        } else if (key !== "" && filter.file(item.name)) files.push(key);
      }
      reference.set(level, { files: files.sort(), folders: folders.sort() });
    }

    for (const pageSize of [1, 2, 3, 5, 8, 1000]) {
      const seen = new Map<string, { files: string[]; folders: string[] }>();
      const queue: Array<{ level: string; known?: KnownSubtree }> = [{ level: "" }];
      let fromPages = 0;
      while (queue.length > 0) {
        const { level, known } = queue.pop() ?? { level: "" };
        if (known) fromPages++;
        const read = await listRemoteLevel(
          container,
          "",
          level,
          filter,
          undefined,
          known,
          pageSize,
        );
        for (const [key, entry] of read.files) expect(entry.name).toBe(`${level}${key}`);
        seen.set(level, {
          files: [...read.files.keys()].sort(),
          folders: [...read.folders].sort(),
        });
        for (const folder of read.folders) {
          const subtree = read.known.get(folder);
          queue.push({ level: `${level}${folder}/`, ...(subtree ? { known: subtree } : {}) });
        }
        for (const folder of read.known.keys()) expect(read.folders.has(folder)).toBe(true);
      }
      expect(Object.fromEntries(seen), `page size ${pageSize}`).toEqual(
        Object.fromEntries(reference),
      );
      // Small pages took the partial path for the root, large ones knew the whole tree.
      if (pageSize === 1000) expect(fromPages).toBe(reference.size - 1);
      if (pageSize === 1) expect(fromPages).toBe(0);
    }
  });
});
