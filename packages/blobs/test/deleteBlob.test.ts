import { describe, expect, test } from "@blobkit/testing/vitest";
import { deleteBlob, deleteBlobIfExists, getBlobProperties, listBlobs } from "../src/index.js";
import { collect, putBlobs, service } from "./helpers-manage.js";

describe("deleteBlob", () => {
  test("deletes a blob; a blob with snapshots needs deleteSnapshots", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, ["plain", "snapped"]);
    await container.client.getBlobClient("snapped").createSnapshot();
    const client = (await service(azurite)).getContainerClient(container.name);
    await deleteBlob(client.getBlobClient("plain"));
    const error = await deleteBlob(client.getBlobClient("snapped")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Conflict", serviceCode: "SnapshotsPresent" });
    expect(String(error)).toMatch(/has snapshots.*deleteSnapshots: "include"/);
    await deleteBlob(client.getBlobClient("snapped"), { deleteSnapshots: "only" });
    expect(await collect(listBlobs(client, { include: ["snapshots"] }))).toHaveLength(1);
    await deleteBlob(client.getBlobClient("snapped"), { deleteSnapshots: "include" });
    expect(await collect(listBlobs(client, { include: ["snapshots"] }))).toHaveLength(0);
  });

  test("deleteBlob fails with NotFound; deleteBlobIfExists says whether it deleted", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, ["once"]);
    const client = (await service(azurite)).getContainerClient(container.name);
    expect(await deleteBlobIfExists(client.getBlobClient("once"))).toEqual({ deleted: true });
    expect(await deleteBlobIfExists(client.getBlobClient("once"))).toEqual({ deleted: false });
    await expect(deleteBlob(client.getBlobClient("once"))).rejects.toMatchObject({
      code: "NotFound",
    });
    const gone = (await service(azurite)).getContainerClient("no-such-container-xyz");
    await expect(deleteBlobIfExists(gone.getBlobClient("a"))).rejects.toMatchObject({
      serviceCode: "ContainerNotFound",
    });
  });

  test("ifMatch guards a delete", async ({ azurite, container }) => {
    await putBlobs(container.client, ["guarded"]);
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("guarded");
    await expect(deleteBlob(blob, { ifMatch: '"0x1"' })).rejects.toMatchObject({
      code: "PreconditionFailed",
    });
    const { etag } = await getBlobProperties(blob);
    await deleteBlob(blob, { ifMatch: etag });
  });
});
