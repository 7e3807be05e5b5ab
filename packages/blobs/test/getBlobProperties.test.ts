import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobProperties } from "../src/index.js";
import { service } from "./helpers-manage.js";

describe("getBlobProperties", () => {
  test("returns typed properties, headers and metadata", async ({ azurite, container }) => {
    await container.client.getBlockBlobClient("r.csv").upload("a,b\n1,2\n", 8, {
      blobHTTPHeaders: { blobContentType: "text/csv", blobCacheControl: "no-cache" },
      metadata: { owner: "finance" },
      tags: { kind: "report" },
    });
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("r.csv");
    const props = await getBlobProperties(blob);
    expect(props).toMatchObject({
      name: "r.csv",
      containerName: container.name,
      contentLength: 8,
      blobType: "BlockBlob",
      metadata: { owner: "finance" },
      tagCount: 1,
      httpHeaders: { contentType: "text/csv", cacheControl: "no-cache" },
    });
    expect(props.etag).toMatch(/^"/);
    expect(props.lastModified).toBeInstanceOf(Date);
    expect(props.copy).toBeUndefined();
  });

  test("ifMatch with a stale ETag fails with PreconditionFailed", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("x", "1", 1);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("x");
    await expect(getBlobProperties(blob, { ifMatch: '"0x1"' })).rejects.toMatchObject({
      code: "PreconditionFailed",
    });
  });
});
