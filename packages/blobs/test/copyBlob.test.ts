import { BlobSASPermissions } from "@azure/storage-blob";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  copyBlob,
  getBlobProperties,
  getBlobTags,
  getBlobTier,
  setBlobTier,
} from "../src/index.js";
import { service } from "./helpers-manage.js";

describe("copyBlob", () => {
  test("copies a small block blob synchronously, with an automatic read SAS", async ({
    azurite,
    container,
  }) => {
    await container.client.getBlockBlobClient("src.txt").upload("hello", 5, {
      metadata: { origin: "src" },
      blobHTTPHeaders: { blobContentType: "text/plain" },
    });
    const client = (await service(azurite)).getContainerClient(container.name);
    const progress: unknown[] = [];
    const result = await copyBlob(
      client.getBlobClient("src.txt"),
      client.getBlobClient("dst.txt"),
      {
        onProgress: (p) => progress.push(p),
      },
    );
    expect(result).toMatchObject({ mechanism: "sync", status: "success", bytesCopied: 5 });
    expect(progress).toEqual([{ loaded: 5, total: 5 }]);
    const copied = await getBlobProperties(client.getBlobClient("dst.txt"));
    expect(copied.contentLength).toBe(5);
    expect(copied.metadata).toEqual({ origin: "src" });
    expect(copied.httpHeaders.contentType).toBe("text/plain");
  });

  test("copies into a tier, with new metadata and tags", async ({ azurite, container }) => {
    await container.client.uploadBlockBlob("a", "data", 4);
    const client = (await service(azurite)).getContainerClient(container.name);
    for (const mode of ["sync", "async"] as const) {
      const destination = client.getBlobClient(`b-${mode}`);
      const result = await copyBlob(client.getBlobClient("a"), destination, {
        mode,
        tier: "Cool",
        metadata: { copied: "yes" },
        tags: { mode },
      });
      expect(result.mechanism).toBe(mode);
      expect((await getBlobTier(destination)).tier).toBe("Cool");
      expect((await getBlobProperties(destination)).metadata).toEqual({ copied: "yes" });
      expect(await getBlobTags(destination)).toEqual({ mode });
    }
  });

  test("copies from a URL that carries a SAS", async ({ azurite, container, serviceClient }) => {
    await container.client.uploadBlockBlob("shared.bin", "12345678", 8);
    const url = await serviceClient
      .getContainerClient(container.name)
      .getBlobClient("shared.bin")
      .generateSasUrl({
        permissions: BlobSASPermissions.parse("r"),
        expiresOn: new Date(Date.now() + 600_000),
      });
    const client = (await service(azurite)).getContainerClient(container.name);
    const result = await copyBlob(url, client.getBlobClient("from-url.bin"));
    expect(result).toMatchObject({ mechanism: "sync", bytesCopied: 8 });
  });

  test("a private URL without a SAS: a clear error before the copy", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("private.bin", "1", 1);
    const client = (await service(azurite)).getContainerClient(container.name);
    const privateUrl = client.getBlobClient("private.bin").url;
    const error = await copyBlob(privateUrl, client.getBlobClient("x")).catch((e: unknown) => e);
    expect(String(error)).toMatch(
      /could not read the source.*must be public or its URL must carry a SAS/,
    );
    expect(String(error)).not.toContain("sig=");
  });

  test("an archived source is copied asynchronously to an online tier", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("arch", "old", 3);
    const client = (await service(azurite)).getContainerClient(container.name);
    await setBlobTier(client.getBlobClient("arch"), "Archive");
    const result = await copyBlob(client.getBlobClient("arch"), client.getBlobClient("online"), {
      tier: "Hot",
      rehydratePriority: "High",
      pollIntervalMs: 10,
    });
    expect(result.mechanism).toBe("async");
    expect((await getBlobTier(client.getBlobClient("online"))).tier).toBe("Hot");
  });

  test("a missing source fails before any copy, naming the source", async ({
    azurite,
    container,
  }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    const error = await copyBlob(client.getBlobClient("nope"), client.getBlobClient("dst")).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "NotFound" });
    expect(String(error)).toContain(`Read the copy source (blob '${container.name}/nope')`);
    expect(await client.getBlobClient("dst").exists()).toBe(false);
  });

  test("overwrite: false refuses to replace an existing destination", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("s", "1", 1);
    await container.client.uploadBlockBlob("d", "22", 2);
    const client = (await service(azurite)).getContainerClient(container.name);
    const error = await copyBlob(client.getBlobClient("s"), client.getBlobClient("d"), {
      overwrite: false,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "AlreadyExists", serviceCode: "BlobAlreadyExists" });
    expect(String(error)).toMatch(/destination already exists and overwrite is false/);
    expect((await getBlobProperties(client.getBlobClient("d"))).contentLength).toBe(2);
  });

  test("checks options before any request", async ({ azurite, container }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    const s = client.getBlobClient("s");
    const d = client.getBlobClient("d");
    await expect(copyBlob(s, d, { mode: "fast" as "sync" })).rejects.toThrow(/Invalid mode/);
    await expect(copyBlob(s, d, { mode: "sync", rehydratePriority: "High" })).rejects.toThrow(
      /only an asynchronous copy can rehydrate/,
    );
    await expect(copyBlob(s, d, { tags: { "a'b": "1" } })).rejects.toMatchObject({
      code: "InvalidArgument",
    });
    await expect(copyBlob(s, d, { sourceAuthorization: "not-a-sas" })).rejects.toThrow(
      /sourceAuthorization: must be a SAS token/,
    );
    await expect(copyBlob("ftp://x/y", d)).rejects.toThrow(/http\(s\) URL/);
  });
});
