// Properties, metadata and access policy of a container, against the embedded Azurite.
import { connect } from "@blobkit/auth";
import { uniqueContainerName } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  getContainerAccessPolicy,
  getContainerProperties,
  setContainerAccessPolicy,
  setContainerMetadata,
  updateContainerMetadata,
} from "../src/index.js";

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

describe("setContainerMetadata", () => {
  test("replaces all metadata; an empty object removes it", async ({ container }) => {
    await setContainerMetadata(container.client, { a: "1", b: "2" });
    await setContainerMetadata(container.client, { c: "3" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ c: "3" });
    await setContainerMetadata(container.client, {});
    expect((await getContainerProperties(container.client)).metadata).toEqual({});
  });

  test("ifMatch: writes with the current ETag, refuses a stale one and keeps the metadata", async ({
    container,
  }) => {
    const first = await setContainerMetadata(container.client, { v: "1" });
    const second = await setContainerMetadata(
      container.client,
      { v: "2" },
      { ifMatch: first.etag },
    );
    expect(second.etag).not.toBe(first.etag);
    const error = await setContainerMetadata(
      container.client,
      { v: "stale" },
      { ifMatch: first.etag },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ v: "2" });
    // "*" only requires the container to exist.
    await setContainerMetadata(container.client, { v: "3" }, { ifMatch: "*" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ v: "3" });
  });
});

describe("updateContainerMetadata", () => {
  test("adds to the current metadata", async ({ container }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    const result = await updateContainerMetadata(container.client, (current) => ({
      ...current,
      reviewed: "yes",
    }));
    expect(result).toMatchObject({
      metadata: { owner: "finance", reviewed: "yes" },
      changed: true,
      tries: 1,
    });
    expect((await getContainerProperties(container.client)).metadata).toEqual({
      owner: "finance",
      reviewed: "yes",
    });
  });

  test("when another writer gets in between, reads again and keeps both changes", async ({
    container,
  }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    let calls = 0;
    const result = await updateContainerMetadata(container.client, async (current) => {
      calls++;
      if (calls === 1) {
        // Someone else writes after our read: our write must not overwrite it.
        await container.client.setMetadata({ ...current, other: "writer" });
      }
      return { ...current, mine: "1" };
    });
    expect(calls).toBe(2);
    expect(result.tries).toBe(2);
    expect((await getContainerProperties(container.client)).metadata).toEqual({
      owner: "finance",
      other: "writer",
      mine: "1",
    });
  });

  test("gives up after maxTries with PreconditionFailed", async ({ container }) => {
    let calls = 0;
    const error = await updateContainerMetadata(
      container.client,
      async (current) => {
        calls++;
        await container.client.setMetadata({ busy: String(calls) });
        return { ...current, mine: "1" };
      },
      { maxTries: 3 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed", tries: 3 });
    expect((error as Error).message).toMatch(/gave up after 3 tries/);
    expect(calls).toBe(3);
  });

  test("an update that changes nothing writes nothing", async ({ container }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    const before = await getContainerProperties(container.client);
    const result = await updateContainerMetadata(container.client, (current) => current);
    expect(result).toMatchObject({ changed: false, etag: before.etag, tries: 1 });
  });

  test("an update returning invalid metadata is rejected and nothing is written", async ({
    container,
  }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    await expect(
      updateContainerMetadata(container.client, (current) => ({ ...current, Owner: "x" })),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "metadata.Owner" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ owner: "finance" });
  });
});

describe("container access policy", () => {
  test("sets and reads the public access level and stored policies together", async ({
    container,
  }) => {
    const startsOn = new Date(Date.UTC(2024, 0, 1));
    const expiresOn = new Date(Date.UTC(2030, 0, 1));
    await setContainerAccessPolicy(container.client, {
      publicAccess: "container",
      policies: [
        { id: "readers", permissions: "lr", startsOn, expiresOn },
        { id: "writers", permissions: "wcar" },
      ],
    });
    const policy = await getContainerAccessPolicy(container.client);
    expect(policy).toMatchObject({
      publicAccess: "container",
      policies: [
        { id: "readers", permissions: "rl", startsOn, expiresOn },
        { id: "writers", permissions: "racw" },
      ],
    });
    expect(policy.etag).toMatch(/^"0x/);
    expect((await getContainerProperties(container.client)).publicAccess).toBe("container");

    await setContainerAccessPolicy(container.client, { publicAccess: "none", policies: [] });
    expect(await getContainerAccessPolicy(container.client)).toMatchObject({
      publicAccess: "none",
      policies: [],
    });
  });

  test("an invalid policy leaves the current one in place", async ({ container }) => {
    await setContainerAccessPolicy(container.client, {
      publicAccess: "blob",
      policies: [{ id: "keep", permissions: "r" }],
    });
    const six = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, permissions: "r" }));
    await expect(
      setContainerAccessPolicy(container.client, { publicAccess: "none", policies: six }),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "policies" });
    expect(await getContainerAccessPolicy(container.client)).toMatchObject({
      publicAccess: "blob",
      policies: [{ id: "keep", permissions: "r" }],
    });
  });
});
