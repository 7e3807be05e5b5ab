import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobProperties, setBlobMetadata } from "../src/index.js";
import { service } from "./helpers-manage.js";

describe("setBlobMetadata", () => {
  test("setBlobMetadata replaces metadata, validated first", async ({ azurite, container }) => {
    await container.client.getBlockBlobClient("m").upload("1", 1, { metadata: { a: "1" } });
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("m");
    const result = await setBlobMetadata(blob, { b: "2" });
    expect(result.etag).toMatch(/^"/);
    expect((await getBlobProperties(blob)).metadata).toEqual({ b: "2" });
    await expect(setBlobMetadata(blob, { "not-an-identifier": "x" })).rejects.toMatchObject({
      code: "InvalidArgument",
      field: "metadata.not-an-identifier",
    });
  });
});
