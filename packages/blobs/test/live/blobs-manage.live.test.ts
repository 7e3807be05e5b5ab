// The contract-tested scenarios against a real account. Runs only when
// BLOBKIT_LIVE_CONNECTION_STRING is set (an account with blob soft delete and versioning on);
// skipped in CI.
import { BlobClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { createTestContainer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import {
  copyBlob,
  deleteBlob,
  findBlobsByTags,
  getBlobTier,
  listBlobs,
  restoreBlob,
  setBlobTags,
  setBlobTier,
  tagQuery,
} from "../../src/index.js";

const connectionString = process.env.BLOBKIT_LIVE_CONNECTION_STRING;

async function live(prefix: string) {
  const service = await connect({
    method: "connectionString",
    connectionString: connectionString ?? "",
  });
  const container = await createTestContainer(service, { prefix });
  return { service, container, client: service.getContainerClient(container.name) };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

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

describe.skipIf(!connectionString)("live: copy, tags and tiers", () => {
  test("an unreadable source gets the clear CannotVerifyCopySource message", async () => {
    const { container, client } = await live("live-copy");
    await using _ = container;
    await client.uploadBlockBlob("private.bin", "1", 1);
    const anonymous = new BlobClient(client.getBlobClient("private.bin").url);
    const error = await copyBlob(anonymous, client.getBlobClient("copy.bin"), {
      mode: "sync",
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/could not read the source|does not exist/);
  });

  test("findBlobsByTags pages through every match", async () => {
    const { service, container, client } = await live("live-tags");
    await using _ = container;
    const project = `p${Date.now()}`;
    for (let i = 0; i < 5; i++) {
      await client.uploadBlockBlob(`t${i}`, "x", 1);
      await setBlobTags(client.getBlobClient(`t${i}`), { project });
    }
    const query = tagQuery().where("project", "=", project).inContainer(container.name);
    // The index is eventually consistent: wait until all five are visible.
    let found: unknown[] = [];
    for (let attempt = 0; attempt < 30 && found.length < 5; attempt++) {
      found = await collect(findBlobsByTags(service, query));
      if (found.length < 5) await new Promise((r) => setTimeout(r, 2_000));
    }
    expect(found).toHaveLength(5);
    const pages = await collect(findBlobsByTags(service, query).byPage({ maxPageSize: 2 }));
    expect(pages.flatMap((p) => p.items)).toHaveLength(5);
  });

  test("leaving Archive is pending and getBlobTier shows the rehydration", async () => {
    const { container, client } = await live("live-tier");
    await using _ = container;
    await client.uploadBlockBlob("arch.bin", "x", 1);
    const blob = client.getBlobClient("arch.bin");
    await setBlobTier(blob, "Archive");
    expect(await setBlobTier(blob, "Hot", { rehydratePriority: "Standard" })).toEqual({
      pending: true,
    });
    expect(await getBlobTier(blob)).toMatchObject({
      archived: true,
      rehydrating: true,
      rehydratingTo: "Hot",
    });
    await expect(client.getBlobClient("arch.bin").downloadToBuffer()).rejects.toThrow();
  });
});
