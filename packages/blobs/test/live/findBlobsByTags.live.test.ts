// The contract-tested findBlobsByTags paging against a real account. Runs only when
// BLOBKIT_LIVE_CONNECTION_STRING is set (an account with blob soft delete and versioning on);
// skipped in CI.
import { describe, expect, test } from "vitest";
import { findBlobsByTags, setBlobTags, tagQuery } from "../../src/index.js";
import { collect, connectionString, live } from "./live-account.js";

describe.skipIf(!connectionString)("live: copy, tags and tiers", () => {
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
});
