// Contract tests of findBlobsByTags paging, which Azurite does not implement as Azure does: the
// requests the SDK sends through BlobKit, and how BlobKit follows the documented responses.
import { describe, expect, test } from "vitest";
import { findBlobsByTags, tagQuery } from "../src/index.js";
import { type Answer, startContractServer } from "./contract-server.js";
import { collect } from "./helpers-manage.js";

describe("findBlobsByTags (contract: paging)", () => {
  const page = (names: string[], next?: string): Answer => ({
    status: 200,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://x/"><Where>x</Where><Blobs>${names
      .map(
        (n) =>
          `<Blob><Name>${n}</Name><ContainerName>docs</ContainerName><Tags><TagSet><Tag><Key>project</Key><Value>apollo</Value></Tag></TagSet></Tags></Blob>`,
      )
      .join("")}</Blobs><NextMarker>${next ?? ""}</NextMarker></EnumerationResults>`,
  });

  test("sends the quoted expression and no page size, and follows NextMarker", async () => {
    await using server = await startContractServer((r) =>
      r.query.get("marker") === "m2" ? page(["c"]) : page(["a", "b"], "m2"),
    );
    const found = await collect(
      findBlobsByTags(
        server.service,
        tagQuery().where("project", "=", "apollo").inContainer("docs"),
      ),
    );
    expect(found).toEqual([
      { name: "a", containerName: "docs", tags: { project: "apollo" } },
      { name: "b", containerName: "docs", tags: { project: "apollo" } },
      { name: "c", containerName: "docs", tags: { project: "apollo" } },
    ]);
    expect(server.requests).toHaveLength(2);
    for (const r of server.requests) {
      expect(r.path).toBe("/");
      expect(r.query.get("comp")).toBe("blobs");
      expect(r.query.get("where")).toBe(`"project" = 'apollo' AND @container = 'docs'`);
      expect(r.query.has("maxresults")).toBe(false);
    }
  });

  test("passes maxPageSize only when the caller asks, on the container endpoint", async () => {
    await using server = await startContractServer(() => page(["a"]));
    const container = server.service.getContainerClient("docs");
    const pages = await collect(
      findBlobsByTags(container, tagQuery().where("project", "=", "apollo")).byPage({
        maxPageSize: 2,
      }),
    );
    expect(pages).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.path).toBe("/docs");
    expect(request?.query.get("restype")).toBe("container");
    expect(request?.query.get("maxresults")).toBe("2");
  });
});
