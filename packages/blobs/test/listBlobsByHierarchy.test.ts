import { describe, expect, test } from "@blobkit/testing/vitest";
import { listBlobsByHierarchy } from "../src/index.js";
import { collect, putBlobs, service, TREE } from "./helpers-manage.js";

describe("listBlobsByHierarchy", () => {
  test("lists one level: virtual directories and blobs, in name order", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, TREE);
    const client = (await service(azurite)).getContainerClient(container.name);
    const top = await collect(listBlobsByHierarchy(client));
    expect(top.map((i) => `${i.kind}:${i.name}`)).toEqual([
      "blob:a.txt",
      "prefix:docs/",
      "prefix:img/",
      "blob:z.txt",
    ]);
    const docs = await collect(listBlobsByHierarchy(client, { prefix: "docs/" }));
    expect(docs.map((i) => `${i.kind}:${i.name}`)).toEqual([
      "prefix:docs/guide/",
      "blob:docs/readme.md",
    ]);
  });

  test("takes another delimiter and rejects an empty one", async ({ azurite, container }) => {
    await putBlobs(container.client, ["2024-01-a", "2024-02-b", "2025-01-c"]);
    const client = (await service(azurite)).getContainerClient(container.name);
    const items = await collect(listBlobsByHierarchy(client, { delimiter: "-" }));
    expect(items.map((i) => i.name)).toEqual(["2024-", "2025-"]);
    expect(() => listBlobsByHierarchy(client, { delimiter: "" })).toThrow(/delimiter/);
  });
});
