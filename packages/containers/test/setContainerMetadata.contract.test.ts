// Contract tests: Set Container Metadata accepts no If-Match header (only If-Modified-Since), and
// the SDK silently drops an ifMatch condition. These check that setContainerMetadata's ifMatch
// compares the ETag with a Get Container Properties request first, and never writes on a mismatch.
import { type StubRequest, startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { setContainerMetadata } from "../src/index.js";
import {
  connectTo,
  describeRequest,
  ETAG,
  LAST_MODIFIED,
  type Reply,
  replyWith,
} from "./azureResponses.js";

function container(etag: string) {
  return (request: StubRequest): Reply => {
    if (request.query.get("comp") === "metadata") {
      return {
        status: 200,
        headers: { etag: '"0x8DC00000000000FF"', "last-modified": LAST_MODIFIED },
      };
    }
    return {
      status: 200,
      headers: { etag, "last-modified": LAST_MODIFIED, "x-ms-meta-owner": "finance" },
    };
  };
}

describe("contract: setContainerMetadata with ifMatch", () => {
  test("reads the ETag, then writes without an If-Match header the service would ignore", async () => {
    await using server = await startStubServer(replyWith(container(ETAG)));
    const result = await setContainerMetadata(
      (await connectTo(server)).getContainerClient("reports"),
      { owner: "audit" },
      { ifMatch: ETAG },
    );
    expect(result.etag).toBe('"0x8DC00000000000FF"');
    expect(server.requests.map(describeRequest)).toEqual([
      "GET /reports?restype=container",
      "PUT /reports?restype=container&comp=metadata",
    ]);
    expect(server.requests[1]?.headers["x-ms-meta-owner"]).toBe("audit");
    expect(server.requests[1]?.headers["if-match"]).toBeUndefined();
  });

  test("on an ETag mismatch fails with PreconditionFailed and writes nothing", async () => {
    await using server = await startStubServer(replyWith(container('"0x8DC0000000000B2"')));
    const error = await setContainerMetadata(
      (await connectTo(server)).getContainerClient("reports"),
      { owner: "audit" },
      { ifMatch: ETAG },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed" });
    expect((error as Error).message).toMatch(/changed since it was read/);
    expect(server.requests.map((r) => r.method)).toEqual(["GET"]);
  });
});
