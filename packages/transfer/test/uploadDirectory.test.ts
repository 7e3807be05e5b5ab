import { utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isStorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadDirectory, type TransferProgress, uploadDirectory } from "../src/index.js";
import { blobNames, containerOf, tempFolder, treeDigest, writeTree } from "./helpers.js";

const TREE = {
  "a.txt": "alpha",
  "empty.bin": "",
  "nested/deeper/deepest/data.bin": 300 * 1024,
  "with space/and #hash & 100%.txt": "odd names",
  "unicodé/ファイル.txt": "unicode",
  ".hidden/.env": "SECRET=not-really",
  "big.bin": 9 * 1024 * 1024,
};

describe("uploadDirectory and downloadDirectory", () => {
  test("a tree round-trips byte for byte: nested folders, empty files, Unicode, spaces, # and %", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await using target = await tempFolder();
    await writeTree(source.path, TREE);
    const up = await uploadDirectory(container, source.path, { prefix: "site" });
    expect(up.failed).toEqual([]);
    expect(up.transferred).toHaveLength(Object.keys(TREE).length);
    expect(await blobNames(container)).toEqual(
      Object.keys(TREE)
        .map((name) => `site/${name.normalize("NFC")}`)
        .sort(),
    );
    const down = await downloadDirectory(container, target.path, { prefix: "site" });
    expect(down.failed).toEqual([]);
    expect(await treeDigest(target.path)).toEqual(await treeDigest(source.path));
  });

  test("a second run of an unchanged tree sends no data; a changed file is sent again; progress adds up", async ({
    azurite,
    container: c,
  }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using source = await tempFolder();
    await writeTree(source.path, TREE);
    const reports: TransferProgress[] = [];
    const first = await uploadDirectory(container, source.path, {
      onProgress: (p) => reports.push(p),
    });
    expect(first.transferred).toHaveLength(7);
    const last = reports.at(-1);
    expect(last).toMatchObject({ phase: "done", filesTotal: 7, filesDone: 7, filesFailed: 0 });
    expect(last?.bytesDone).toBe(last?.bytesTotal);
    const sent = proxy.stats.requestBodyBytes;
    const second = await uploadDirectory(container, source.path);
    expect(second.transferred).toEqual([]);
    expect(second.skipped.map((s) => s.reason)).toEqual(Array(7).fill("unchanged"));
    expect(proxy.stats.requestBodyBytes).toBe(sent); // not one byte of data
    await writeFile(join(source.path, "a.txt"), "alpha, changed");
    const later = new Date(Date.now() + 5_000);
    await utimes(join(source.path, "a.txt"), later, later);
    const third = await uploadDirectory(container, source.path);
    expect(third.transferred.map((t) => t.name)).toEqual(["a.txt"]);
    expect(proxy.stats.requestBodyBytes - sent).toBe("alpha, changed".length);
  });

  test("sync: deleteExtraneous removes only what the dry run listed, and only what the patterns cover", async ({
    azurite,
    container: c,
  }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, { "keep.txt": "k", "gone.txt": "g", "logs/x.log": "l" });
    await uploadDirectory(container, source.path);
    const { rm } = await import("node:fs/promises");
    await rm(join(source.path, "gone.txt"));
    await rm(join(source.path, "logs"), { recursive: true });
    const dry = await uploadDirectory(container, source.path, {
      deleteExtraneous: true,
      dryRun: true,
      exclude: ["logs/**"],
    });
    expect(dry.dryRun).toBe(true);
    expect(dry.deleted.map((d) => d.name)).toEqual(["gone.txt"]);
    expect(await blobNames(container)).toEqual(["gone.txt", "keep.txt", "logs/x.log"]);
    const real = await uploadDirectory(container, source.path, {
      deleteExtraneous: true,
      exclude: ["logs/**"],
    });
    expect(real.deleted.map((d) => d.name)).toEqual(dry.deleted.map((d) => d.name));
    expect(await blobNames(container)).toEqual(["keep.txt", "logs/x.log"]);
  });

  test("failure policy: continue transfers the rest and reports exactly the failed files; stop rejects", async ({
    azurite,
    container: c,
  }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "status", status: 500, method: "PUT", path: /bad-/ }],
    });
    const container = await containerOf(azurite, c.name, proxy.url, 1);
    await using source = await tempFolder();
    await writeTree(source.path, {
      "ok-1.txt": "1",
      "bad-1.txt": "2",
      "ok-2.txt": "3",
      "bad-2.txt": "4",
    });
    const result = await uploadDirectory(container, source.path, { failurePolicy: "continue" });
    expect(result.transferred.map((t) => t.name).sort()).toEqual(["ok-1.txt", "ok-2.txt"]);
    expect(result.failed.map((f) => [f.name, f.code]).sort()).toEqual([
      ["bad-1.txt", "ServerError"],
      ["bad-2.txt", "ServerError"],
    ]);
    const stopped = await uploadDirectory(container, source.path, { overwrite: "always" }).catch(
      (e: unknown) => e,
    );
    expect(isStorageError(stopped, "ServerError")).toBe(true);
    expect((stopped as Error).message).toMatch(/stopped at .*bad-\d\.txt/);
    const decided: string[] = [];
    const byCallback = await uploadDirectory(container, source.path, {
      overwrite: "always",
      failurePolicy: (failure) => {
        decided.push(failure.name);
        return "continue";
      },
    });
    expect(decided.sort()).toEqual(["bad-1.txt", "bad-2.txt"]);
    expect(byCallback.failed).toHaveLength(2);
  });

  test("bad input fails before any request: missing folder, a file as folder, bad names, name clashes, bad options", async ({
    azurite,
    container: c,
  }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using source = await tempFolder();
    await writeTree(source.path, { "file.txt": "x" });
    const rejects = async (promise: Promise<unknown>, field: string) => {
      const error = await promise.catch((e: unknown) => e);
      expect(isStorageError(error, "InvalidArgument"), String(error)).toBe(true);
      expect((error as { field?: string }).field).toBe(field);
    };
    await rejects(uploadDirectory(container, join(source.path, "missing")), "folder");
    await rejects(uploadDirectory(container, join(source.path, "file.txt")), "folder");
    await rejects(uploadDirectory(container, source.path, { prefix: "../up" }), "prefix");
    await rejects(
      uploadDirectory(container, source.path, { overwrite: "sometimes" as never }),
      "overwrite",
    );
    await rejects(uploadDirectory(container, source.path, { include: [""] }), "include");
    await rejects(downloadDirectory(container, join(source.path, "file.txt")), "folder");
    // Names Azure refuses: a trailing dot; two files that map to one name (NFC).
    await using bad = await tempFolder();
    await writeTree(bad.path, { "trailing.": "x" });
    await rejects(uploadDirectory(container, bad.path), "blob name");
    await using clash = await tempFolder();
    await writeTree(clash.path, { "caf\u00e9.txt": "composed", "cafe\u0301.txt": "decomposed" });
    await rejects(uploadDirectory(container, clash.path), "folder");
    expect(proxy.stats.requests).toBe(0);
  });
});
