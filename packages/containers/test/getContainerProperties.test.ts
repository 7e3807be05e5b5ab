// getContainerProperties against the embedded Azurite.
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  BlobServiceClient,
} from "@azure/storage-blob";
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

  test("returns metadata names as stored (ReviewedBy), not lower-cased by Node", async ({
    container,
    serviceClient,
  }) => {
    await container.client.setMetadata({ ReviewedBy: "ann", lower: "x" });
    // A container whose name starts with this one's, listed right after it, must not be taken.
    const longer = serviceClient.getContainerClient(`${container.name}-b`);
    await longer.create({ metadata: { REVIEWEDBY: "bob" } });
    try {
      expect((await getContainerProperties(container.client)).metadata).toEqual({
        ReviewedBy: "ann",
        lower: "x",
      });
    } finally {
      await longer.delete();
    }
  });

  test("a client that may not list containers gets the lower-case names, not an error", async ({
    container,
    serviceClient,
  }) => {
    await container.client.setMetadata({ ReviewedBy: "ann" });
    // An account SAS for containers only (no service-level resource type) cannot list them.
    const sasUrl = serviceClient.generateAccountSasUrl(
      new Date(Date.now() + 600_000),
      AccountSASPermissions.parse("rl"),
      AccountSASResourceTypes.parse("c").toString(),
    );
    const client = new BlobServiceClient(sasUrl).getContainerClient(container.name);
    expect((await getContainerProperties(client)).metadata).toEqual({ reviewedby: "ann" });
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
