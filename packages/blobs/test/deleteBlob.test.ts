import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  deleteBlob,
  deleteBlobIfExists,
  deleteBlobs,
  getBlobProperties,
  listBlobs,
  restoreBlob,
} from "../src/index.js";
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

describe("deleteBlobs", () => {
  test("deletes many blobs in batches of 256 with a result per blob", async ({
    azurite,
    container,
  }) => {
    const names = Array.from({ length: 520 }, (_, i) => `many/${String(i).padStart(4, "0")}`);
    await putBlobs(container.client, names);
    const client = (await service(azurite)).getContainerClient(container.name);
    const result = await deleteBlobs(client, [...names, "many/missing"], { concurrency: 2 });
    expect(result.results).toHaveLength(521);
    expect(result.succeeded).toBe(520);
    expect(result.failed).toBe(1);
    expect(result.results[0]).toMatchObject({ name: "many/0000", ok: true, status: 202 });
    expect(result.results[520]).toMatchObject({ name: "many/missing", ok: false, status: 404 });
    expect(result.results[520]?.error?.message).toMatch(/Delete blob \(blob '.*\/many\/missing'\)/);
    expect(await collect(listBlobs(client))).toHaveLength(0);
  });

  test("takes a listing as input and can ignore missing blobs", async ({ azurite, container }) => {
    await putBlobs(container.client, ["tmp/a", "tmp/b", "keep/c"]);
    await container.client.getBlobClient("tmp/a").createSnapshot();
    const client = (await service(azurite)).getContainerClient(container.name);
    const result = await deleteBlobs(client, listBlobs(client, { prefix: "tmp/" }), {
      deleteSnapshots: "include",
    });
    expect(result).toMatchObject({ succeeded: 2, failed: 0 });
    expect((await collect(listBlobs(client))).map((b) => b.name)).toEqual(["keep/c"]);
    const again = await deleteBlobs(client, ["tmp/a"], { ignoreMissing: true });
    expect(again.results[0]).toMatchObject({ ok: true, status: 404, error: undefined });
  });

  test("validates every name of an array before any request", async ({ azurite, container }) => {
    await putBlobs(container.client, ["a"]);
    const client = (await service(azurite)).getContainerClient(container.name);
    await expect(deleteBlobs(client, ["a", "bad/"])).rejects.toMatchObject({
      code: "InvalidArgument",
      field: "blobs[1].name",
    });
    expect(await collect(listBlobs(client))).toHaveLength(1);
    await expect(deleteBlobs(client, ["a"], { concurrency: 0 })).rejects.toThrow(/concurrency/);
  });

  test("stops with Aborted when the signal fires", async ({ azurite, container }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    await expect(
      deleteBlobs(client, ["a", "b"], { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: "Aborted" });
  });
});

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
