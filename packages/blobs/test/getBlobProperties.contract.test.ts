// Contract test of getBlobProperties for what Azurite cannot show (blob versions): the listing it
// sends to recover the stored case of metadata names, and the entry it takes from the answer.
import { describe, expect, test } from "vitest";
import { getBlobProperties } from "../src/index.js";
import { blobHeaders, startContractServer } from "./contract-server.js";

const V1 = "2024-01-01T00:00:00.0000000Z";
const V2 = "2024-02-01T00:00:00.0000000Z";

/** A List Blobs answer with two versions of b.txt (different metadata) and a longer name. */
const listing = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://x/" ContainerName="c"><Blobs>
<Blob><Name>b.txt</Name><VersionId>${V1}</VersionId><Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>0x1</Etag><Content-Length>5</Content-Length><BlobType>BlockBlob</BlobType></Properties><Metadata><ReviewedBy>ann</ReviewedBy></Metadata></Blob>
<Blob><Name>b.txt</Name><VersionId>${V2}</VersionId><IsCurrentVersion>true</IsCurrentVersion><Properties><Last-Modified>Thu, 01 Feb 2024 00:00:00 GMT</Last-Modified><Etag>0x2</Etag><Content-Length>5</Content-Length><BlobType>BlockBlob</BlobType></Properties><Metadata><REVIEWEDBY>bob</REVIEWEDBY></Metadata></Blob>
<Blob><Name>b.txt.old</Name><Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>0x3</Etag><Content-Length>5</Content-Length><BlobType>BlockBlob</BlobType></Properties><Metadata><reviewedBY>eve</reviewedBY></Metadata></Blob>
</Blobs><NextMarker /></EnumerationResults>`;

describe("getBlobProperties (contract: stored case of metadata names)", () => {
  test("a version client lists the blob's versions and takes that version's names", async () => {
    await using server = await startContractServer((request) =>
      request.method === "HEAD"
        ? {
            status: 200,
            headers: blobHeaders({ "x-ms-meta-ReviewedBy": "ann", "x-ms-version-id": V1 }),
          }
        : { status: 200, headers: { "content-type": "application/xml" }, body: listing },
    );
    const blob = server.service.getContainerClient("c").getBlobClient("b.txt").withVersion(V1);
    expect((await getBlobProperties(blob)).metadata).toEqual({ ReviewedBy: "ann" });
    const [head, list] = server.requests;
    expect(head?.query.get("versionid")).toBe(V1);
    expect(list?.method).toBe("GET");
    expect(list?.path).toBe("/c");
    expect(list?.query.get("comp")).toBe("list");
    expect(list?.query.get("prefix")).toBe("b.txt");
    expect(list?.query.get("include")?.split(",").sort()).toEqual(["metadata", "versions"]);
    expect(list?.query.has("versionid")).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  test("the current blob asks for one item, and no metadata costs no listing", async () => {
    let metadata: Record<string, string> = { "x-ms-meta-ReviewedBy": "ann" };
    await using server = await startContractServer((request) =>
      request.method === "HEAD"
        ? { status: 200, headers: blobHeaders(metadata) }
        : { status: 200, headers: { "content-type": "application/xml" }, body: listing },
    );
    const blob = server.service.getContainerClient("c").getBlobClient("b.txt");
    // The first entry of the answer is b.txt (version V1 here): its names are taken.
    expect((await getBlobProperties(blob)).metadata).toEqual({ ReviewedBy: "ann" });
    expect(server.requests[1]?.query.get("maxresults")).toBe("1");
    expect(server.requests[1]?.query.get("include")).toBe("metadata");
    metadata = {};
    expect((await getBlobProperties(blob)).metadata).toEqual({});
    expect(server.requests).toHaveLength(3);
  });
});
