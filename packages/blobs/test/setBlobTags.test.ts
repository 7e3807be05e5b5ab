import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobTags, setBlobMetadata, setBlobTags, tagQuery } from "../src/index.js";
import { putBlobs, service } from "./helpers-manage.js";

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
