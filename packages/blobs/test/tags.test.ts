import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  findBlobsByTags,
  getBlobTags,
  setBlobMetadata,
  setBlobTags,
  tagQuery,
} from "../src/index.js";
import { collect, putBlobs, service } from "./helpers-manage.js";

describe("setBlobTags and getBlobTags", () => {
  test("replace and read a blob's tags", async ({ azurite, container }) => {
    await putBlobs(container.client, ["report.pdf"]);
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("report.pdf");
    await setBlobTags(blob, { project: "apollo", "due date": "2024-05-01", path: "a/b:c=d+e_f" });
    expect(await getBlobTags(blob)).toEqual({
      project: "apollo",
      "due date": "2024-05-01",
      path: "a/b:c=d+e_f",
    });
    await setBlobTags(blob, {});
    expect(await getBlobTags(blob)).toEqual({});
  });

  test("validate before any request", async ({ azurite, container }) => {
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("none");
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"]));
    await expect(setBlobTags(blob, eleven)).rejects.toMatchObject({
      code: "InvalidArgument",
      message: expect.stringMatching(/at most 10/),
    });
    await expect(setBlobTags(blob, { "cost€": "1" })).rejects.toMatchObject({
      code: "InvalidArgument",
      field: "tags.cost€",
    });
  });

  test("a missing blob is NotFound with the blob's name", async ({ azurite, container }) => {
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("nope.txt");
    const error = await getBlobTags(blob).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NotFound" });
    expect(String(error)).toContain(`blob '${container.name}/nope.txt'`);
  });

  test("whereTags makes writes conditional on the blob's tags", async ({ azurite, container }) => {
    await putBlobs(container.client, ["doc.txt"]);
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("doc.txt");
    await setBlobTags(blob, { status: "draft" });
    const draft = tagQuery().where("status", "=", "draft");
    await setBlobMetadata(blob, { reviewed: "yes" }, { whereTags: draft });
    await setBlobTags(blob, { status: "final" }, { whereTags: draft });
    await expect(
      setBlobMetadata(blob, { reviewed: "no" }, { whereTags: draft }),
    ).rejects.toMatchObject({
      code: "PreconditionFailed",
    });
    await expect(
      setBlobTags(blob, { status: "x" }, { whereTags: draft.inContainer(container.name) }),
    ).rejects.toThrow(/@container is only allowed in findBlobsByTags/);
  });
});

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
