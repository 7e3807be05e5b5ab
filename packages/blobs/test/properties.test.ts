import { createHash } from "node:crypto";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  getBlobProperties,
  setBlobHttpHeaders,
  setBlobMetadata,
  updateBlobMetadata,
} from "../src/index.js";
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

describe("setBlobHttpHeaders", () => {
  test("changes the given headers and keeps the others, including Content-MD5", async ({
    azurite,
    container,
  }) => {
    const body = "hello";
    const md5 = createHash("md5").update(body).digest();
    await container.client.getBlockBlobClient("h.txt").upload(body, 5, {
      blobHTTPHeaders: {
        blobContentType: "text/plain",
        blobContentLanguage: "en",
        blobContentDisposition: "inline",
        blobContentMD5: md5,
      },
    });
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("h.txt");
    const result = await setBlobHttpHeaders(blob, {
      cacheControl: "max-age=60",
      contentDisposition: null,
    });
    expect(result.attempts).toBe(1);
    const props = await getBlobProperties(blob);
    expect(props.httpHeaders).toMatchObject({
      contentType: "text/plain",
      contentLanguage: "en",
      cacheControl: "max-age=60",
    });
    expect(props.httpHeaders.contentDisposition).toBeUndefined();
    expect(Buffer.from(props.httpHeaders.contentMD5 ?? []).equals(md5)).toBe(true);
    // The SDK's own setHTTPHeaders clears what it is not given: what this function avoids.
    await blob.setHTTPHeaders({ blobCacheControl: "no-store" });
    expect((await getBlobProperties(blob)).httpHeaders.contentType).not.toBe("text/plain");
  });

  test("rejects unknown headers and values that cannot travel as HTTP headers", async ({
    azurite,
    container,
  }) => {
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("h");
    await expect(
      setBlobHttpHeaders(blob, { contentTyp: "x" } as unknown as { contentType: string }),
    ).rejects.toThrow(/headers.contentTyp: is not a blob HTTP header/);
    await expect(setBlobHttpHeaders(blob, { contentType: "a\r\nb" })).rejects.toThrow(
      /printable ASCII/,
    );
  });
});

describe("setBlobMetadata and updateBlobMetadata", () => {
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

  test("updateBlobMetadata retries on 412 so concurrent updates are not lost", async ({
    azurite,
    container,
  }) => {
    await container.client.getBlockBlobClient("counter").upload("1", 1, { metadata: { n: "0" } });
    const client = (await service(azurite)).getContainerClient(container.name);
    const blob = client.getBlobClient("counter");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        updateBlobMetadata(
          blob,
          async (m) => {
            await new Promise((r) => setTimeout(r, 5));
            return { ...m, n: String(Number(m.n) + 1) };
          },
          { maxAttempts: 50 },
        ),
      ),
    );
    expect((await getBlobProperties(blob)).metadata.n).toBe("5");
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  });

  test("updateBlobMetadata writes nothing when update returns undefined", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("same", "1", 1);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("same");
    const before = await getBlobProperties(blob);
    const result = await updateBlobMetadata(blob, () => undefined);
    expect(result).toMatchObject({ changed: false, attempts: 1, etag: before.etag });
  });

  test("updateBlobMetadata gives up after maxAttempts with PreconditionFailed", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("busy", "1", 1);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("busy");
    let calls = 0;
    const error = await updateBlobMetadata(
      blob,
      async (m) => {
        calls++;
        // Someone else writes between our read and our write, every time.
        await container.client.getBlobClient("busy").setMetadata({ other: String(calls) });
        return { ...m, mine: "1" };
      },
      { maxAttempts: 3 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed" });
    expect(calls).toBe(3);
  });
});
