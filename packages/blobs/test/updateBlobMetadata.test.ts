import { type ContainerClient, ContainerSASPermissions } from "@azure/storage-blob";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobProperties, setBlobTags, updateBlobMetadata } from "../src/index.js";
import { service } from "./helpers-manage.js";

/**
 * The List Blobs XML of one blob, read with plain fetch and a SAS: an independent reader that
 * sees the names exactly as the service stores them (no SDK parsing, no Node header handling).
 */
async function rawListing(container: ContainerClient, name: string): Promise<string> {
  const sasUrl = await container.generateSasUrl({
    permissions: ContainerSASPermissions.parse("l"),
    expiresOn: new Date(Date.now() + 600_000),
  });
  const response = await fetch(
    `${sasUrl}&restype=container&comp=list&include=metadata&prefix=${encodeURIComponent(name)}`,
  );
  expect(response.status).toBe(200);
  return response.text();
}

describe("updateBlobMetadata", () => {
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

  test("keeps the case of the names it did not change (ReviewedBy stays ReviewedBy)", async ({
    azurite,
    container,
  }) => {
    await container.client
      .getBlockBlobClient("cased")
      .upload("1", 1, { metadata: { ReviewedBy: "ann", lower: "x" } });
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("cased");
    let seen: Record<string, string> = {};
    const result = await updateBlobMetadata(blob, (m) => {
      seen = { ...m };
      return { ...m, touched: "yes" };
    });
    expect(seen).toEqual({ ReviewedBy: "ann", lower: "x" });
    expect(result.metadata).toEqual({ ReviewedBy: "ann", lower: "x", touched: "yes" });
    const listed: Record<string, string> = {};
    for await (const item of container.client.listBlobsFlat({
      prefix: "cased",
      includeMetadata: true,
    })) {
      Object.assign(listed, item.metadata);
    }
    expect(listed).toEqual({ ReviewedBy: "ann", lower: "x", touched: "yes" });
    const xml = await rawListing(container.client, "cased");
    expect(xml).toContain("<ReviewedBy>ann</ReviewedBy>");
    expect(xml).toContain("<touched>yes</touched>");
    expect(xml).not.toContain("<reviewedby>");
  });

  test("a whereTags condition that does not hold fails at once, saying the tags did not match", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("tagged", "1", 1);
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("tagged");
    await setBlobTags(blob, { status: "final" });
    let calls = 0;
    const error = await updateBlobMetadata(
      blob,
      (m) => {
        calls++;
        return { ...m, touched: "yes" };
      },
      { whereTags: `"status" = 'draft'` },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed", statusCode: 412 });
    expect((error as Error).message).toMatch(/tags did not match the whereTags condition/);
    expect((error as Error).message).not.toMatch(/changed since it was read/);
    expect(calls).toBe(0);
  });
});
