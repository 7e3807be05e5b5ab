// Bytes changed on the way, in both directions, through the fault proxy's corrupt-body and
// corrupt-request faults: a folder transfer never stores or keeps them.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadDirectory, uploadDirectory } from "../src/index.js";
import { containerOf, tempFolder, treeDigest, writeTree } from "./helpers.js";

const TREE = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [`d${i % 3}/f${i}.bin`, 20_000 + i]),
);

describe("corruption on the way", () => {
  test("a download body with a changed byte: that file fails with ChecksumMismatch and its old local copy stays; the rest arrive; a re-run fetches it", async ({
    azurite,
    container: c,
  }) => {
    await using source = await tempFolder();
    await writeTree(source.path, TREE);
    await uploadDirectory(await containerOf(azurite, c.name), source.path);
    await using target = await tempFolder();
    await writeTree(target.path, { "d1/f4.bin": "the previous version" });
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "corrupt-body", method: "GET", path: /f4\.bin/, times: 1 }],
    });
    const container = await containerOf(azurite, c.name, proxy.url);

    const result = await downloadDirectory(container, target.path, { failurePolicy: "continue" });
    expect(proxy.stats.faults["corrupt-body"]).toBe(1);
    expect(result.failed.map((f) => [f.name, f.code])).toEqual([["d1/f4.bin", "ChecksumMismatch"]]);
    expect(result.counts.transferred).toBe(11);
    expect(await readFile(join(target.path, "d1/f4.bin"), "utf8")).toBe("the previous version");
    // Every other file is whole, and no partial file is left.
    const expected = await treeDigest(source.path);
    const { "d1/f4.bin": _old, ...others } = await treeDigest(target.path);
    const { "d1/f4.bin": _new, ...wanted } = expected;
    expect(others).toEqual(wanted);

    const again = await downloadDirectory(container, target.path);
    expect(again.transferred.map((t) => t.name)).toEqual(["d1/f4.bin"]);
    expect(await treeDigest(target.path)).toEqual(expected);
  });

  test("an upload body with a changed byte is refused by the service (Md5Mismatch) and sent again; changed on every try, the file fails and the blob keeps its old content", async ({
    azurite,
    container: c,
  }) => {
    const direct = await containerOf(azurite, c.name);
    await direct.getBlockBlobClient("d2/f5.bin").upload("the previous version", 20);
    await using source = await tempFolder();
    await writeTree(source.path, TREE);
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "corrupt-request", method: "PUT", path: /f5\.bin/, times: 1 }],
    });
    const via = await containerOf(azurite, c.name, proxy.url);
    const result = await uploadDirectory(via, source.path, { failurePolicy: "continue" });
    expect(proxy.stats.faults["corrupt-request"]).toBe(1);
    expect(result.failed).toEqual([]);
    expect(result.counts.transferred).toBe(12);
    await using back = await tempFolder();
    await downloadDirectory(direct, back.path);
    expect(await treeDigest(back.path)).toEqual(await treeDigest(source.path));

    // Changed on every try (the client makes 2 here): the file fails, nothing of it is stored.
    await direct.getBlockBlobClient("d2/f5.bin").upload("the previous version", 20);
    proxy.setRules([{ fault: "corrupt-request", method: "PUT", path: /f5\.bin/ }]);
    const failing = await uploadDirectory(via, source.path, { failurePolicy: "continue" });
    expect(failing.failed.map((f) => [f.name, f.code, f.error.serviceCode])).toEqual([
      ["d2/f5.bin", "BadRequest", "Md5Mismatch"],
    ]);
    expect(failing.failed[0]?.message).toMatch(/refused the body on 2 tries/);
    expect((await direct.getBlobClient("d2/f5.bin").downloadToBuffer()).toString()).toBe(
      "the previous version",
    );
  });
});
