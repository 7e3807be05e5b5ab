// deleteContainer and deleteContainerIfExists against the embedded Azurite.
import { connect } from "@blobkit/auth";
import { uniqueContainerName } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  createContainer,
  deleteContainer,
  deleteContainerIfExists,
  listContainers,
} from "../src/index.js";

async function namesWithPrefix(
  service: Awaited<ReturnType<typeof connect>>,
  prefix: string,
): Promise<string[]> {
  const names: string[] = [];
  for await (const item of listContainers(service, { prefix })) names.push(item.name);
  return names;
}

describe("deleteContainer and deleteContainerIfExists", () => {
  test("deleteContainer deletes; a second delete is NotFound with a pointer to the IfExists variant", async ({
    azurite,
  }) => {
    const service = await connect({
      method: "emulator",
      emulator: azurite,
      retry: { maxTries: 1 },
    });
    const name = uniqueContainerName("delete");
    await createContainer(service, name);
    await deleteContainer(service.getContainerClient(name));
    expect(await namesWithPrefix(service, name)).toEqual([]);
    const error = await deleteContainer(service.getContainerClient(name)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NotFound", serviceCode: "ContainerNotFound" });
    expect((error as Error).message).toMatch(/deleteContainerIfExists/);
  });

  test("deleteContainerIfExists tells whether it deleted", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const name = uniqueContainerName("ifexists");
    await createContainer(service, name);
    expect(await deleteContainerIfExists(service.getContainerClient(name))).toEqual({
      deleted: true,
    });
    expect(await deleteContainerIfExists(service.getContainerClient(name))).toEqual({
      deleted: false,
    });
  });

  test("a leased container needs its lease id", async ({ azurite }) => {
    const service = await connect({
      method: "emulator",
      emulator: azurite,
      retry: { maxTries: 1 },
    });
    const name = uniqueContainerName("leased");
    await createContainer(service, name);
    const lease = await service.getContainerClient(name).getBlobLeaseClient().acquireLease(-1);
    const error = await deleteContainer(service.getContainerClient(name)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "LeaseConflict" });
    expect((error as Error).message).toMatch(/pass its leaseId/);
    await deleteContainer(service.getContainerClient(name), { leaseId: lease.leaseId ?? "" });
    expect(await namesWithPrefix(service, name)).toEqual([]);
  });
});
