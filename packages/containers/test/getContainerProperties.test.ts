// getContainerProperties against the embedded Azurite.
import { connect } from "@blobkit/auth";
import { uniqueContainerName } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { getContainerProperties } from "../src/index.js";

describe("getContainerProperties", () => {
  test("returns typed properties", async ({ container }) => {
    const props = await getContainerProperties(container.client);
    expect(props).toEqual({
      name: container.name,
      etag: expect.stringMatching(/^"0x/),
      lastModified: expect.any(Date),
      leaseStatus: "unlocked",
      leaseState: "available",
      publicAccess: "none",
      hasImmutabilityPolicy: false,
      hasLegalHold: false,
      immutableStorageWithVersioning: false,
      metadata: {},
    });
  });

  test("shows a lease", async ({ container }) => {
    const lease = await container.client.getBlobLeaseClient().acquireLease(-1);
    try {
      expect(await getContainerProperties(container.client)).toMatchObject({
        leaseStatus: "locked",
        leaseState: "leased",
        leaseDuration: "infinite",
      });
    } finally {
      await container.client.getBlobLeaseClient(lease.leaseId).releaseLease();
    }
  });

  test("a missing container is NotFound", async ({ azurite }) => {
    const service = await connect({
      method: "emulator",
      emulator: azurite,
      retry: { maxTries: 1 },
    });
    await expect(
      getContainerProperties(service.getContainerClient(uniqueContainerName("missing"))),
    ).rejects.toMatchObject({ code: "NotFound", serviceCode: "ContainerNotFound" });
  });
});
