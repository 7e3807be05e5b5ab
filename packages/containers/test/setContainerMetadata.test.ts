// setContainerMetadata against the embedded Azurite; a rejected write leaves the metadata as it was.
import { describe, expect, test } from "@blobkit/testing/vitest";
import { getContainerProperties, setContainerMetadata } from "../src/index.js";

describe("setContainerMetadata", () => {
  test("replaces all metadata; an empty object removes it", async ({ container }) => {
    await setContainerMetadata(container.client, { a: "1", b: "2" });
    await setContainerMetadata(container.client, { c: "3" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ c: "3" });
    await setContainerMetadata(container.client, {});
    expect((await getContainerProperties(container.client)).metadata).toEqual({});
  });

  test("ifMatch: writes with the current ETag, refuses a stale one and keeps the metadata", async ({
    container,
  }) => {
    const first = await setContainerMetadata(container.client, { v: "1" });
    const second = await setContainerMetadata(
      container.client,
      { v: "2" },
      { ifMatch: first.etag },
    );
    expect(second.etag).not.toBe(first.etag);
    const error = await setContainerMetadata(
      container.client,
      { v: "stale" },
      { ifMatch: first.etag },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ v: "2" });
    // "*" only requires the container to exist.
    await setContainerMetadata(container.client, { v: "3" }, { ifMatch: "*" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ v: "3" });
  });
});

describe("no partial state is left behind", () => {
  test("invalid metadata leaves the current metadata as it was", async ({ container }) => {
    await setContainerMetadata(container.client, { keep: "me" });
    await expect(
      setContainerMetadata(container.client, { keep: "changed", class: "keyword" }),
    ).rejects.toMatchObject({ field: "metadata.class" });
    expect((await getContainerProperties(container.client)).metadata).toEqual({ keep: "me" });
  });
});
