// The contract-tested copyBlob scenario against a real account. Runs only when
// BLOBKIT_LIVE_CONNECTION_STRING is set (an account with blob soft delete and versioning on);
// skipped in CI.
import { BlobClient } from "@azure/storage-blob";
import { describe, expect, test } from "vitest";
import { copyBlob } from "../../src/index.js";
import { connectionString, live } from "./live-account.js";

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
});
