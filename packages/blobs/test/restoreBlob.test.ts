import { describe, expect, test } from "@blobkit/testing/vitest";
import { restoreBlob } from "../src/index.js";
import { putBlobs, service } from "./helpers-manage.js";

describe("restoreBlob", () => {
  test("restores a snapshot by copying it over the base blob", async ({ azurite, container }) => {
    const base = container.client.getBlockBlobClient("doc.txt");
    await base.upload("v1", 2);
    const { snapshot } = await base.createSnapshot();
    await base.upload("version 2", 9);
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("doc.txt");
    const result = await restoreBlob(blob, { snapshot: snapshot ?? "" });
    expect(result.restoredFrom).toBe("snapshot");
    expect((await blob.downloadToBuffer()).toString()).toBe("v1");
  });

  test("a missing snapshot gets a message naming it", async ({ azurite, container }) => {
    await putBlobs(container.client, ["doc"]);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("doc");
    const error = await restoreBlob(blob, { snapshot: "2020-01-01T00:00:00.0000000Z" }).catch(
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/snapshot 2020-01-01T00:00:00.0000000Z does not exist/);
  });

  test("undelete is not implemented by Azurite: NotSupported (see the contract tests)", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, ["x"]);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("x");
    await expect(restoreBlob(blob)).rejects.toMatchObject({ code: "NotSupported" });
    await expect(restoreBlob(blob, { versionId: "a", snapshot: "b" })).rejects.toThrow(/not both/);
  });
});
