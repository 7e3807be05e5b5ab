import { describe, expect, test } from "@blobkit/testing/vitest";
import { deleteBlobs, listBlobs } from "../src/index.js";
import { collect, putBlobs, service } from "./helpers-manage.js";

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
