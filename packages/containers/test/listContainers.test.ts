// listContainers against the embedded Azurite: prefix, metadata, page size, byPage and tokens.
import { connect } from "@blobkit/auth";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  type ContainerListItem,
  createContainer,
  deleteContainersByPrefix,
  listContainers,
} from "../src/index.js";

async function withContainers(
  azurite: AzuriteConnection,
  count: number,
  run: (
    service: Awaited<ReturnType<typeof connect>>,
    prefix: string,
    names: string[],
  ) => Promise<void>,
) {
  const service = await connect({ method: "emulator", emulator: azurite });
  const prefix = `${uniqueContainerName("list")}-`;
  const names = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, "0")}`);
  try {
    for (const [i, name] of names.entries()) {
      await createContainer(service, name, { metadata: { Index: String(i), camelCase: "yes" } });
    }
    await run(service, prefix, names);
  } finally {
    await deleteContainersByPrefix(service, prefix);
  }
}

describe("listContainers", () => {
  test("for await yields the containers with the prefix, in name order, with typed properties", async ({
    azurite,
  }) => {
    await withContainers(azurite, 5, async (service, prefix, names) => {
      const items: ContainerListItem[] = [];
      for await (const item of listContainers(service, { prefix })) items.push(item);
      expect(items.map((i) => i.name)).toEqual(names);
      const first = items[0];
      expect(first).toMatchObject({
        deleted: false,
        leaseState: "available",
        leaseStatus: "unlocked",
        publicAccess: "none",
        hasImmutabilityPolicy: false,
        hasLegalHold: false,
      });
      expect(first?.lastModified).toBeInstanceOf(Date);
      expect(first?.etag).toMatch(/^"0x/);
      expect(first?.metadata).toBeUndefined();
    });
  });

  test("includeMetadata returns metadata with the names' case kept", async ({ azurite }) => {
    await withContainers(azurite, 2, async (service, prefix) => {
      const items: ContainerListItem[] = [];
      for await (const item of listContainers(service, { prefix, includeMetadata: true })) {
        items.push(item);
      }
      expect(items.map((i) => i.metadata)).toEqual([
        { Index: "0", camelCase: "yes" },
        { Index: "1", camelCase: "yes" },
      ]);
    });
  });

  test("pageSize bounds each request; byPage resumes from a continuation token in a new listing", async ({
    azurite,
  }) => {
    await withContainers(azurite, 5, async (service, prefix, names) => {
      const firstPage = await listContainers(service, { prefix }).byPage({ maxPageSize: 2 }).next();
      if (firstPage.done) throw new Error("expected a first page");
      expect(firstPage.value.items.map((i) => i.name)).toEqual(names.slice(0, 2));
      const token = firstPage.value.continuationToken;
      expect(token).toEqual(expect.any(String));

      // A UI keeps only the token, and later asks a new listing for the rest.
      const rest: string[][] = [];
      for await (const page of listContainers(service, { prefix, pageSize: 2 }).byPage({
        ...(token ? { continuationToken: token } : {}),
      })) {
        rest.push(page.items.map((i) => i.name));
      }
      expect(rest).toEqual([names.slice(2, 4), names.slice(4)]);

      const all: string[] = [];
      for await (const item of listContainers(service, { prefix, pageSize: 2 }))
        all.push(item.name);
      expect(all).toEqual(names);
    });
  });

  test("an empty continuation token starts from the beginning (the SDK alone would yield nothing)", async ({
    azurite,
  }) => {
    await withContainers(azurite, 1, async (service, prefix, names) => {
      const pages = [];
      for await (const page of listContainers(service, { prefix }).byPage({
        continuationToken: "",
      })) {
        pages.push(page);
      }
      expect(pages.flatMap((p) => p.items.map((i) => i.name))).toEqual(names);
    });
  });

  test("a prefix that can never match, or a bad page size, is rejected when called", async ({
    azurite,
  }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    expect(() => listContainers(service, { prefix: "Logs-" })).toThrow(
      /container names are lowercase/,
    );
    expect(() => listContainers(service, { pageSize: 0 })).toThrow(/pageSize.*1 to 5000/);
    expect(() => listContainers(service, { pageSize: 5001 })).toThrow(/1 to 5000/);
  });

  test("a failure while iterating is a StorageError", async ({ azurite }) => {
    const service = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: "sv=2025-11-05&ss=b&srt=sco&sp=r&se=2099-01-01T00:00:00Z&sig=aW52YWxpZA%3D%3D",
      retry: { maxTries: 1 },
    });
    const iterate = async () => {
      for await (const _ of listContainers(service)) {
        // nothing
      }
    };
    await expect(iterate()).rejects.toMatchObject({
      name: "StorageError",
      operation: "list containers",
    });
  });

  test("the signal cancels a listing", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const controller = new AbortController();
    controller.abort();
    const iterate = async () => {
      for await (const _ of listContainers(service, { signal: controller.signal })) {
        // nothing
      }
    };
    await expect(iterate()).rejects.toMatchObject({ code: "Aborted" });
  });
});
