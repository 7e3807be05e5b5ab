// setContainerAccessPolicy and getContainerAccessPolicy against the embedded Azurite.
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  getContainerAccessPolicy,
  getContainerProperties,
  setContainerAccessPolicy,
} from "../src/index.js";

describe("container access policy", () => {
  test("sets and reads the public access level and stored policies together", async ({
    container,
  }) => {
    const startsOn = new Date(Date.UTC(2024, 0, 1));
    const expiresOn = new Date(Date.UTC(2030, 0, 1));
    await setContainerAccessPolicy(container.client, {
      publicAccess: "container",
      policies: [
        { id: "readers", permissions: "lr", startsOn, expiresOn },
        { id: "writers", permissions: "wcar" },
      ],
    });
    const policy = await getContainerAccessPolicy(container.client);
    expect(policy).toMatchObject({
      publicAccess: "container",
      policies: [
        { id: "readers", permissions: "rl", startsOn, expiresOn },
        { id: "writers", permissions: "racw" },
      ],
    });
    expect(policy.etag).toMatch(/^"0x/);
    expect((await getContainerProperties(container.client)).publicAccess).toBe("container");

    await setContainerAccessPolicy(container.client, { publicAccess: "none", policies: [] });
    expect(await getContainerAccessPolicy(container.client)).toMatchObject({
      publicAccess: "none",
      policies: [],
    });
  });

  test("an invalid policy leaves the current one in place", async ({ container }) => {
    await setContainerAccessPolicy(container.client, {
      publicAccess: "blob",
      policies: [{ id: "keep", permissions: "r" }],
    });
    const six = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, permissions: "r" }));
    await expect(
      setContainerAccessPolicy(container.client, { publicAccess: "none", policies: six }),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "policies" });
    expect(await getContainerAccessPolicy(container.client)).toMatchObject({
      publicAccess: "blob",
      policies: [{ id: "keep", permissions: "r" }],
    });
  });
});
