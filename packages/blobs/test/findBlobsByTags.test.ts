import { describe, expect, test } from "@blobkit/testing/vitest";
import { findBlobsByTags, tagQuery } from "../src/index.js";
import { collect, service } from "./helpers-manage.js";

describe("findBlobsByTags", () => {
  test("finds blobs across the account and in one container", async ({ azurite, container }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    const project = `p${Date.now()}`;
    for (const [name, status] of [
      ["a.txt", "final"],
      ["b.txt", "draft"],
      ["c.txt", "final"],
    ] as const) {
      await container.client.getBlockBlobClient(name).upload("x", 1, { tags: { project, status } });
    }
    const query = tagQuery().where("project", "=", project).and("status", "=", "final");
    const all = await collect(findBlobsByTags(await service(azurite), query));
    expect(all.map((b) => `${b.containerName}/${b.name}`).sort()).toEqual([
      `${container.name}/a.txt`,
      `${container.name}/c.txt`,
    ]);
    expect(all[0]?.tags).toMatchObject({ project });
    const scoped = await collect(
      findBlobsByTags(await service(azurite), query.inContainer(container.name)),
    );
    expect(scoped).toHaveLength(2);
    const inContainer = await collect(findBlobsByTags(client, query));
    expect(inContainer.map((b) => b.name).sort()).toEqual(["a.txt", "c.txt"]);
    const range = await collect(
      findBlobsByTags(client, tagQuery().where("project", "=", project).and("status", "<", "e")),
    );
    expect(range.map((b) => b.name)).toEqual(["b.txt"]);
  });

  test("refuses inContainer() on a container client, and an empty query", async ({
    azurite,
    container,
  }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    expect(() =>
      findBlobsByTags(client, tagQuery().where("a", "=", "b").inContainer(container.name)),
    ).toThrow(/run it on the service client/);
    expect(() => findBlobsByTags(client, " ")).toThrow(/non-empty expression/);
  });

  test("a malformed raw expression comes back as BadRequest from the service", async ({
    azurite,
  }) => {
    const error = await collect(
      findBlobsByTags(await service(azurite), `"a" = 'b' OR "a" = 'c'`),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BadRequest" });
  });
});
