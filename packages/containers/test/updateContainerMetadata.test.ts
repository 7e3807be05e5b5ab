// updateContainerMetadata against the embedded Azurite: read-modify-write, tries again after a
// concurrent write, gives up after maxTries.
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  getContainerProperties,
  setContainerMetadata,
  updateContainerMetadata,
} from "../src/index.js";

describe("updateContainerMetadata", () => {
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
