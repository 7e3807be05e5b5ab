import { describe, expect, test } from "@blobkit/testing/vitest";
import { listBlobs, type PagedAsyncIterable } from "../src/index.js";
import { collect, putBlobs, service, TREE } from "./helpers-manage.js";

describe("listBlobs", () => {
  test("lists every blob flat, in name order, lazily", async ({ azurite, container }) => {
    await putBlobs(container.client, TREE);
    const client = (await service(azurite)).getContainerClient(container.name);
    const names = (await collect(listBlobs(client))).map((b) => b.name);
    expect(names).toEqual([...TREE].sort());
  });

  test("filters by prefix and includes metadata, tags and snapshots", async ({
    azurite,
    container,
  }) => {
    const blob = container.client.getBlockBlobClient("docs/tagged.md");
    await blob.upload("x", 1, { metadata: { owner: "ops" }, tags: { project: "apollo" } });
    await blob.createSnapshot();
    await putBlobs(container.client, ["other.md"]);
    const client = (await service(azurite)).getContainerClient(container.name);
    const items = await collect(
      listBlobs(client, { prefix: "docs/", include: ["metadata", "tags", "snapshots"] }),
    );
    expect(items.map((b) => b.name)).toEqual(["docs/tagged.md", "docs/tagged.md"]);
    expect(items.filter((b) => b.snapshot)).toHaveLength(1);
    expect(items[1]?.metadata).toEqual({ owner: "ops" });
    expect(items[1]?.tags).toEqual({ project: "apollo" });
  });

  test("includes uncommitted blobs when asked", async ({ azurite, container }) => {
    const blob = container.client.getBlockBlobClient("staged.bin");
    await blob.stageBlock(Buffer.from("0000").toString("base64"), "abcd", 4);
    const client = (await service(azurite)).getContainerClient(container.name);
    expect(await collect(listBlobs(client))).toHaveLength(0);
    const withUncommitted = await collect(listBlobs(client, { include: ["uncommitted"] }));
    expect(withUncommitted.map((b) => b.name)).toEqual(["staged.bin"]);
  });

  test("byPage() pages with maxPageSize and resumes from a continuation token", async ({
    azurite,
    container,
  }) => {
    const names = Array.from({ length: 7 }, (_, i) => `blob-${i}`);
    await putBlobs(container.client, names);
    const client = (await service(azurite)).getContainerClient(container.name);
    const listing: PagedAsyncIterable<{ name: string }> = listBlobs(client);
    const first = await listing.byPage({ maxPageSize: 3 }).next();
    expect(first.done).toBe(false);
    const page = first.done ? undefined : first.value;
    expect(page?.items.map((b) => b.name)).toEqual(["blob-0", "blob-1", "blob-2"]);
    expect(page?.continuationToken).toBeTypeOf("string");
    const rest: string[] = [];
    for await (const next of listing.byPage({
      maxPageSize: 3,
      ...(page?.continuationToken ? { continuationToken: page.continuationToken } : {}),
    })) {
      rest.push(...next.items.map((b) => b.name));
      if (next.continuationToken === undefined) break;
    }
    expect(rest).toEqual(names.slice(3));
  });

  test("rejects bad options before any request", async ({ azurite, container }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    expect(() => listBlobs(client, { include: ["metadata", "everything" as "tags"] })).toThrow(
      /Invalid include: "everything" is not one of metadata, tags/,
    );
    expect(() => listBlobs(client).byPage({ maxPageSize: 0 })).toThrow(
      /maxPageSize: must be an integer from 1 to 5000/,
    );
  });

  test("a missing container fails with NotFound and an actionable message", async ({ azurite }) => {
    const client = (await service(azurite)).getContainerClient("no-such-container-here");
    const error = await collect(listBlobs(client)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NotFound", serviceCode: "ContainerNotFound" });
    expect(String(error)).toMatch(/List blobs \(container 'no-such-container-here'\) failed/);
  });

  test("honours an aborted signal", async ({ azurite, container }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    const error = await collect(listBlobs(client, { signal: AbortSignal.abort() })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "Aborted" });
  });
});
