// The contract-tested rehydration from Archive against a real account. Runs only when
// BLOBKIT_LIVE_CONNECTION_STRING is set (an account with blob soft delete and versioning on);
// skipped in CI.
import { describe, expect, test } from "vitest";
import { getBlobTier, setBlobTier } from "../../src/index.js";
import { connectionString, live } from "./live-account.js";

describe.skipIf(!connectionString)("live: copy, tags and tiers", () => {
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
