// The contract-tested restoreBlob scenarios against a real account. Runs only when
// BLOBKIT_LIVE_CONNECTION_STRING is set (an account with blob soft delete and versioning on);
// skipped in CI.
import { describe, expect, test } from "vitest";
import { deleteBlob, listBlobs, restoreBlob } from "../../src/index.js";
import { collect, connectionString, live } from "./live-account.js";

describe.skipIf(!connectionString)("live: delete and restore", () => {
  test("a soft-deleted blob is restored with undelete", async () => {
    const { container, client } = await live("live-undelete");
    await using _ = container;
    await client.uploadBlockBlob("a.txt", "hello", 5);
    await deleteBlob(client.getBlobClient("a.txt"));
    const deleted = await collect(listBlobs(client, { include: ["deleted", "versions"] }));
    expect(deleted.some((b) => b.name === "a.txt" && (b.deleted || b.versionId))).toBe(true);
    try {
      await restoreBlob(client.getBlobClient("a.txt"));
    } catch (error) {
      // With versioning on, undelete does not bring back a current blob: restore a version.
      expect(String(error)).toMatch(/versioning/);
      const versions = deleted.filter((b) => b.name === "a.txt" && b.versionId);
      await restoreBlob(client.getBlobClient("a.txt"), {
        versionId: versions.at(-1)?.versionId ?? "",
      });
    }
    expect((await client.getBlobClient("a.txt").downloadToBuffer()).toString()).toBe("hello");
  });

  test("a previous version is copied over the base blob", async () => {
    const { container, client } = await live("live-version");
    await using _ = container;
    const first = await client.uploadBlockBlob("v.txt", "v1", 2);
    await client.uploadBlockBlob("v.txt", "v2", 2);
    await restoreBlob(client.getBlobClient("v.txt"), { versionId: first.response.versionId ?? "" });
    expect((await client.getBlobClient("v.txt").downloadToBuffer()).toString()).toBe("v1");
  });
});
