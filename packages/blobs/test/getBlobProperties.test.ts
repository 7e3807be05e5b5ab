import { BlobClient, BlobSASPermissions } from "@azure/storage-blob";
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
      contentType: "text/csv",
      cacheControl: "no-cache",
    });
    expect(props.etag).toMatch(/^"/);
    expect(props.lastModified).toBeInstanceOf(Date);
    expect(props.copy).toBeUndefined();
  });

  test("returns the HTTP headers flat, as downloadBlob does; httpHeaders is a deprecated alias", async ({
    azurite,
    container,
  }) => {
    await container.client.getBlockBlobClient("h.txt").upload("hello", 5, {
      blobHTTPHeaders: {
        blobContentType: "text/plain",
        blobContentEncoding: "identity",
        blobContentLanguage: "en-US",
        blobContentDisposition: "inline",
        blobCacheControl: "max-age=60",
      },
    });
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("h.txt");
    const props = await getBlobProperties(blob);
    expect(props).toMatchObject({
      contentType: "text/plain",
      contentEncoding: "identity",
      contentLanguage: "en-US",
      contentDisposition: "inline",
      cacheControl: "max-age=60",
    });
    expect(props.contentMD5).toHaveLength(16);
    expect(props.httpHeaders).toEqual({
      contentType: props.contentType,
      contentEncoding: props.contentEncoding,
      contentLanguage: props.contentLanguage,
      contentDisposition: props.contentDisposition,
      cacheControl: props.cacheControl,
      contentMD5: props.contentMD5,
    });
  });

  test("returns metadata names as stored (ReviewedBy), not lower-cased by Node", async ({
    azurite,
    container,
  }) => {
    await container.client
      .getBlockBlobClient("case.txt")
      .upload("1", 1, { metadata: { ReviewedBy: "ann", lower: "x" } });
    // A longer name with the same prefix, listed right after it: it must not be taken instead.
    await container.client
      .getBlockBlobClient("case.txt.bak")
      .upload("1", 1, { metadata: { ReviewedBY: "bob" } });
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("case.txt");
    expect((await getBlobProperties(blob)).metadata).toEqual({ ReviewedBy: "ann", lower: "x" });
  });

  test("a snapshot's metadata names come back as stored", async ({ azurite, container }) => {
    const sdkBlob = container.client.getBlockBlobClient("snap.txt");
    await sdkBlob.upload("1", 1, { metadata: { ReviewedBy: "ann" } });
    const { snapshot } = await sdkBlob.createSnapshot();
    await sdkBlob.setMetadata({ ChangedLater: "1" });
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("snap.txt")
      .withSnapshot(snapshot ?? "");
    expect((await getBlobProperties(blob)).metadata).toEqual({ ReviewedBy: "ann" });
  });

  test("a client that may not list the container gets the lower-case names, not an error", async ({
    container,
  }) => {
    const sdkBlob = container.client.getBlockBlobClient("sas.txt");
    await sdkBlob.upload("1", 1, { metadata: { ReviewedBy: "ann" } });
    const sasUrl = await sdkBlob.generateSasUrl({
      permissions: BlobSASPermissions.parse("r"),
      expiresOn: new Date(Date.now() + 600_000),
    });
    // A SAS for this one blob cannot list the container: the names stay as Node gives them.
    const blob = new BlobClient(sasUrl);
    expect((await getBlobProperties(blob)).metadata).toEqual({ reviewedby: "ann" });
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
