// updateContainerMetadata against the embedded Azurite: read-modify-write, tries again after a
// concurrent write, gives up after maxTries.
import { AccountSASPermissions, AccountSASResourceTypes } from "@azure/storage-blob";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  getContainerProperties,
  setContainerMetadata,
  updateContainerMetadata,
} from "../src/index.js";

describe("updateContainerMetadata", () => {
  test("keeps the case of the names it did not change (ReviewedBy stays ReviewedBy)", async ({
    container,
    serviceClient,
  }) => {
    await container.client.setMetadata({ ReviewedBy: "ann", lower: "x" });
    let seen: Record<string, string> = {};
    const result = await updateContainerMetadata(container.client, (current) => {
      seen = { ...current };
      return { ...current, touched: "yes" };
    });
    expect(seen).toEqual({ ReviewedBy: "ann", lower: "x" });
    expect(result.metadata).toEqual({ ReviewedBy: "ann", lower: "x", touched: "yes" });
    const listed: Record<string, string> = {};
    for await (const item of serviceClient.listContainers({
      prefix: container.name,
      includeMetadata: true,
    })) {
      if (item.name === container.name) Object.assign(listed, item.metadata);
    }
    expect(listed).toEqual({ ReviewedBy: "ann", lower: "x", touched: "yes" });
    // An independent reader: the raw List Containers XML, fetched with an account SAS.
    const sasUrl = serviceClient.generateAccountSasUrl(
      new Date(Date.now() + 600_000),
      AccountSASPermissions.parse("l"),
      AccountSASResourceTypes.parse("s").toString(),
    );
    const url = new URL(sasUrl);
    url.searchParams.set("comp", "list");
    url.searchParams.set("include", "metadata");
    url.searchParams.set("prefix", container.name);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toContain("<ReviewedBy>ann</ReviewedBy>");
    expect(xml).toContain("<touched>yes</touched>");
    expect(xml).not.toContain("<reviewedby>");
  });

  test("adds to the current metadata", async ({ container }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    const result = await updateContainerMetadata(container.client, (current) => ({
      ...current,
      reviewed: "yes",
    }));
    expect(result).toMatchObject({
      metadata: { owner: "finance", reviewed: "yes" },
      changed: true,
      tries: 1,
    });
    expect((await getContainerProperties(container.client)).metadata).toEqual({
      owner: "finance",
      reviewed: "yes",
    });
  });

  test("when another writer gets in between, reads again and keeps both changes", async ({
    container,
  }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    let calls = 0;
    const result = await updateContainerMetadata(container.client, async (current) => {
      calls++;
      if (calls === 1) {
        // Someone else writes after our read: our write must not overwrite it.
        await container.client.setMetadata({ ...current, other: "writer" });
      }
      return { ...current, mine: "1" };
    });
    expect(calls).toBe(2);
    expect(result.tries).toBe(2);
    expect((await getContainerProperties(container.client)).metadata).toEqual({
      owner: "finance",
      other: "writer",
      mine: "1",
    });
  });

  test("gives up after maxTries with PreconditionFailed", async ({ container }) => {
    let calls = 0;
    const error = await updateContainerMetadata(
      container.client,
      async (current) => {
        calls++;
        await container.client.setMetadata({ busy: String(calls) });
        return { ...current, mine: "1" };
      },
      { maxTries: 3 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed", tries: 3 });
    expect((error as Error).message).toMatch(/gave up after 3 tries/);
    expect(calls).toBe(3);
  });

  test("an update that changes nothing writes nothing", async ({ container }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    const before = await getContainerProperties(container.client);
    const result = await updateContainerMetadata(container.client, (current) => current);
    expect(result).toMatchObject({ changed: false, etag: before.etag, tries: 1 });
  });

  test("an update returning invalid metadata is rejected and nothing is written", async ({
    container,
  }) => {
    await setContainerMetadata(container.client, { owner: "finance" });
    await expect(
      updateContainerMetadata(container.client, (current) => ({ ...current, Owner: "x" })),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "metadata.Owner" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ owner: "finance" });
  });
});
