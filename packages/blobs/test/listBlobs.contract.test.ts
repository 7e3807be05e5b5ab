// Contract test of listBlobs for what Azurite does not list (soft-deleted blobs and versions): the
// request the SDK sends through BlobKit, and the items BlobKit makes of the documented response.
import { describe, expect, test } from "vitest";
import { listBlobs } from "../src/index.js";
import { startContractServer } from "./contract-server.js";
import { collect } from "./helpers-manage.js";

describe("listBlobs (contract: include=deleted,versions)", () => {
  test("sends include=... and returns deleted blobs and versions", async () => {
    await using server = await startContractServer(() => ({
      status: 200,
      headers: { "content-type": "application/xml" },
      body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://x/" ContainerName="docs"><Blobs>
<Blob><Name>a.txt</Name><VersionId>2024-01-01T00:00:00.0000000Z</VersionId><Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>0x1</Etag><Content-Length>5</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
<Blob><Name>a.txt</Name><VersionId>2024-02-01T00:00:00.0000000Z</VersionId><IsCurrentVersion>true</IsCurrentVersion><Properties><Last-Modified>Thu, 01 Feb 2024 00:00:00 GMT</Last-Modified><Etag>0x2</Etag><Content-Length>7</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
<Blob><Name>b.txt</Name><Deleted>true</Deleted><Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>0x3</Etag><Content-Length>1</Content-Length><BlobType>BlockBlob</BlobType><DeletedTime>Tue, 02 Jan 2024 00:00:00 GMT</DeletedTime><RemainingRetentionDays>6</RemainingRetentionDays></Properties></Blob>
</Blobs><NextMarker /></EnumerationResults>`,
    }));
    const container = server.service.getContainerClient("docs");
    const items = await collect(listBlobs(container, { include: ["deleted", "versions"] }));
    const [request] = server.requests;
    expect(request?.query.get("restype")).toBe("container");
    expect(request?.query.get("comp")).toBe("list");
    expect(request?.query.get("include")?.split(",").sort()).toEqual(["deleted", "versions"]);
    expect(items.map((b) => [b.name, b.versionId, b.isCurrentVersion ?? false, b.deleted])).toEqual(
      [
        ["a.txt", "2024-01-01T00:00:00.0000000Z", false, false],
        ["a.txt", "2024-02-01T00:00:00.0000000Z", true, false],
        ["b.txt", undefined, false, true],
      ],
    );
    expect(items[2]?.properties.remainingRetentionDays).toBe(6);
  });
});
