// createContainer and createContainerIfNotExists against the embedded Azurite; a rejected create
// leaves no container behind.
import { connect } from "@blobkit/auth";
import { uniqueContainerName } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  createContainer,
  createContainerIfNotExists,
  deleteContainer,
  deleteContainerIfExists,
  getContainerProperties,
  listContainers,
} from "../src/index.js";

describe("createContainer", () => {
  test("creates a container with metadata and a public access level", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const name = uniqueContainerName("create");
    try {
      const created = await createContainer(service, name, {
        metadata: { owner: "finance", Reviewed: "2024-05-01" },
        publicAccess: "blob",
      });
      expect(created.name).toBe(name);
      expect(created.url).toBe(`${azurite.blobEndpoint}/${name}`);
      expect(created.etag).toMatch(/^"0x[0-9A-F]+"$/);
      expect(created.lastModified).toBeInstanceOf(Date);
      const props = await getContainerProperties(service.getContainerClient(name));
      expect(props).toMatchObject({
        name,
        etag: created.etag,
        publicAccess: "blob",
        metadata: { owner: "finance", Reviewed: "2024-05-01" },
      });
    } finally {
      await deleteContainerIfExists(service.getContainerClient(name));
    }
  });

  test("an existing container fails with AlreadyExists that points to the IfNotExists variant", async ({
    azurite,
    container,
  }) => {
    const service = await connect({
      method: "emulator",
      emulator: azurite,
      retry: { maxTries: 1 },
    });
    const error = await createContainer(service, container.name).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "AlreadyExists",
      statusCode: 409,
      serviceCode: "ContainerAlreadyExists",
    });
    expect((error as Error).message).toMatch(/IfNotExists/);
  });

  test("a name can be used again right after a delete (Azurite does not reserve it; Azure does: see the contract test)", async ({
    azurite,
  }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const name = uniqueContainerName("recreate");
    await createContainer(service, name);
    await deleteContainer(service.getContainerClient(name));
    const again = await createContainer(service, name, { retryWhileBeingDeleted: false });
    expect(again.name).toBe(name);
    await deleteContainer(service.getContainerClient(name));
  });
});

describe("createContainerIfNotExists", () => {
  test("reports whether it created the container, and leaves an existing one as it is", async ({
    azurite,
  }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const name = uniqueContainerName("ifnotexists");
    try {
      const first = await createContainerIfNotExists(service, name, { metadata: { run: "1" } });
      expect(first).toMatchObject({ created: true, name });
      expect(first.etag).toMatch(/^"0x/);
      const second = await createContainerIfNotExists(service, name, {
        metadata: { run: "2" },
        publicAccess: "container",
      });
      expect(second).toEqual({ created: false, name, url: first.url });
      const props = await getContainerProperties(service.getContainerClient(name));
      expect(props.metadata).toEqual({ run: "1" });
      expect(props.publicAccess).toBe("none");
    } finally {
      await deleteContainerIfExists(service.getContainerClient(name));
    }
  });

  test("other failures are still thrown", async ({ azurite }) => {
    const sas = "sv=2025-11-05&ss=b&srt=sco&sp=rl&se=2099-01-01T00:00:00Z&sig=aW52YWxpZA%3D%3D";
    const service = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: sas,
      retry: { maxTries: 1 },
    });
    const error = await createContainerIfNotExists(service, uniqueContainerName("denied")).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "StorageError" });
    expect((error as { code: string }).code).toMatch(/AuthenticationFailed|PermissionDenied/);
    expect((error as Error).message).not.toContain("aW52YWxpZA");
  });
});

describe("no partial state is left behind", () => {
  test("a create with invalid metadata creates no container", async ({ azurite }) => {
    const live = await connect({ method: "emulator", emulator: azurite });
    const name = uniqueContainerName("partial");
    await expect(
      createContainer(live, name, { metadata: { ok: "1", "bad-name": "2" } }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    const found = [];
    for await (const item of listContainers(live, { prefix: name })) found.push(item.name);
    expect(found).toEqual([]);
  });
});
