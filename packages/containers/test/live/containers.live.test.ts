// The scenarios Azurite cannot run (container soft delete and restore, the 30-second
// ContainerBeingDeleted window, the service's own answers), against a real account. Runs only
// when BLOBKIT_LIVE_CONNECTION_STRING is set, so CI skips it. The account needs container soft
// delete enabled (Data protection > "Enable soft delete for containers"). Everything it creates
// starts with a unique prefix and is deleted at the end (and stays restorable for the retention
// period, like any deleted container).
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { uniqueContainerName } from "@blobkit/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type ContainerListItem,
  createContainer,
  deleteContainer,
  deleteContainersByPrefix,
  getContainerProperties,
  listContainers,
  restoreContainer,
  setContainerMetadata,
} from "../../src/index.js";

const connectionString = process.env.BLOBKIT_LIVE_CONNECTION_STRING;

describe.skipIf(!connectionString)("live: containers on Azure", () => {
  let service: BlobServiceClient;
  const prefix = `${uniqueContainerName("live")}-`;

  beforeAll(async () => {
    service = await connect({
      method: "connectionString",
      connectionString: connectionString ?? "",
      retry: { maxTries: 2 },
    });
  });

  afterAll(async () => {
    if (service) await deleteContainersByPrefix(service, prefix);
  });

  async function deletedVersions(name: string): Promise<ContainerListItem[]> {
    const found: ContainerListItem[] = [];
    for await (const item of listContainers(service, { prefix: name, includeDeleted: true })) {
      if (item.name === name && item.deleted) found.push(item);
    }
    return found;
  }

  test("createContainer waits out ContainerBeingDeleted after a delete", {
    timeout: 180_000,
  }, async () => {
    const name = `${prefix}recreate`;
    await createContainer(service, name);
    await deleteContainer(service.getContainerClient(name));
    const created = await createContainer(service, name, {
      retryWhileBeingDeleted: { maxWaitMs: 150_000 },
    });
    expect(created.name).toBe(name);
  });

  test("without waiting, the service answers 409 ContainerBeingDeleted", {
    timeout: 60_000,
  }, async () => {
    const name = `${prefix}nowait`;
    await createContainer(service, name);
    await deleteContainer(service.getContainerClient(name));
    await expect(
      createContainer(service, name, { retryWhileBeingDeleted: false }),
    ).rejects.toMatchObject({ code: "Conflict", serviceCode: "ContainerBeingDeleted" });
  });

  test("a deleted container is listed with include=deleted and restored with its metadata", {
    timeout: 120_000,
  }, async () => {
    const name = `${prefix}restore`;
    await createContainer(service, name, { metadata: { owner: "live-test" } });
    await deleteContainer(service.getContainerClient(name));
    const versions = await deletedVersions(name);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions[0]).toMatchObject({ deleted: true, version: expect.any(String) });
    expect(versions[0]?.deletedOn).toBeInstanceOf(Date);
    const restored = await restoreContainer(service, name);
    expect(restored.name).toBe(name);
    expect(versions.map((v) => v.version)).toContain(restored.version);
    const props = await getContainerProperties(service.getContainerClient(name));
    expect(props.metadata).toEqual({ owner: "live-test" });
  });

  test("restoring a version that does not exist is NotFound", async () => {
    const name = `${prefix}gone`;
    const error = await restoreContainer(service, name, { version: "01D0000000000000" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "NotFound" });
  });

  test("restoring with no deleted version says soft delete may be off", async () => {
    await expect(restoreContainer(service, `${prefix}never-existed`)).rejects.toMatchObject({
      code: "NotFound",
      message: expect.stringMatching(/soft delete/),
    });
  });

  test("restoring while a container of that name exists is AlreadyExists", {
    timeout: 180_000,
  }, async () => {
    const name = `${prefix}taken`;
    await createContainer(service, name);
    await deleteContainer(service.getContainerClient(name));
    const [version] = await deletedVersions(name);
    await createContainer(service, name, { retryWhileBeingDeleted: { maxWaitMs: 150_000 } });
    const error = await restoreContainer(service, name, { version: version?.version ?? "" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: expect.stringMatching(/AlreadyExists|Conflict/) });
  });

  test("setContainerMetadata with a stale ETag is PreconditionFailed", async () => {
    const name = `${prefix}etag`;
    const created = await createContainer(service, name);
    await setContainerMetadata(service.getContainerClient(name), { v: "1" });
    await expect(
      setContainerMetadata(service.getContainerClient(name), { v: "2" }, { ifMatch: created.etag }),
    ).rejects.toMatchObject({ code: "PreconditionFailed" });
  });
});
