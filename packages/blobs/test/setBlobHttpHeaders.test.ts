import { createHash } from "node:crypto";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobProperties, setBlobHttpHeaders } from "../src/index.js";
import { service } from "./helpers-manage.js";

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
    expect(props).toMatchObject({
      contentType: "text/plain",
      contentLanguage: "en",
      cacheControl: "max-age=60",
    });
    expect(props.contentDisposition).toBeUndefined();
    expect(Buffer.from(props.contentMD5 ?? []).equals(md5)).toBe(true);
    // The SDK's own setHTTPHeaders clears what it is not given: what this function avoids.
    await blob.setHTTPHeaders({ blobCacheControl: "no-store" });
    expect((await getBlobProperties(blob)).contentType).not.toBe("text/plain");
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
