// Contract tests of restoreBlob for what Azurite does not implement (soft delete and undelete,
// versions): the exact REST requests the SDK sends through BlobKit, and BlobKit's handling of the
// documented responses.
import { describe, expect, test } from "vitest";
import { restoreBlob } from "../src/index.js";
import { type Answer, blobHeaders, errorAnswer, startContractServer } from "./contract-server.js";

const props = (enabled: boolean, days = 7) =>
  `<?xml version="1.0" encoding="utf-8"?><StorageServiceProperties><DeleteRetentionPolicy><Enabled>${enabled}</Enabled>${enabled ? `<Days>${days}</Days>` : ""}</DeleteRetentionPolicy></StorageServiceProperties>`;

describe("restoreBlob (contract: Undelete Blob, versions)", () => {
  test("undeletes with PUT ?comp=undelete, then checks the blob is back", async () => {
    await using server = await startContractServer((r): Answer => {
      if (r.method === "PUT" && r.query.get("comp") === "undelete") return { status: 200 };
      if (r.method === "HEAD") return { status: 200, headers: blobHeaders() };
      return errorAnswer(400, "Unexpected");
    });
    const blob = server.service.getContainerClient("docs").getBlobClient("a.txt");
    const result = await restoreBlob(blob);
    expect(result).toEqual({ restoredFrom: "undelete", etag: '"0x8DC0000000000001"' });
    const [undelete] = server.requests;
    expect(undelete).toMatchObject({ method: "PUT", path: "/docs/a.txt" });
    expect(undelete?.query.get("comp")).toBe("undelete");
    expect(undelete?.headers.authorization).toMatch(/^SharedKey devstoreaccount1:/);
    expect(undelete?.headers["x-ms-version"]).toBeTruthy();
  });

  test("404 with soft delete off: says soft delete is off on the account", async () => {
    await using server = await startContractServer((r): Answer => {
      if (r.query.get("comp") === "undelete") return errorAnswer(404, "BlobNotFound");
      if (r.query.get("comp") === "properties" && r.query.get("restype") === "service") {
        return { status: 200, headers: { "content-type": "application/xml" }, body: props(false) };
      }
      return errorAnswer(400, "Unexpected");
    });
    const blob = server.service.getContainerClient("docs").getBlobClient("a.txt");
    const error = await restoreBlob(blob).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NotFound", serviceCode: "BlobNotFound" });
    expect(String(error)).toMatch(
      /no soft-deleted blob to restore: blob soft delete is off on this account/,
    );
    expect(server.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      "PUT /docs/a.txt?comp=undelete",
      "GET /?restype=service&comp=properties",
    ]);
  });

  test("404 with soft delete on: names the retention period", async () => {
    await using server = await startContractServer((r): Answer => {
      if (r.query.get("comp") === "undelete") return errorAnswer(404, "BlobNotFound");
      return { status: 200, headers: { "content-type": "application/xml" }, body: props(true, 14) };
    });
    const blob = server.service.getContainerClient("docs").getBlobClient("a.txt");
    await expect(restoreBlob(blob)).rejects.toThrow(/deleted more than 14 days ago/);
  });

  test("undelete succeeds but no current blob (versioning on): says to restore a version", async () => {
    await using server = await startContractServer((r): Answer => {
      if (r.query.get("comp") === "undelete") return { status: 200 };
      return errorAnswer(404, "BlobNotFound");
    });
    const blob = server.service.getContainerClient("docs").getBlobClient("a.txt");
    await expect(restoreBlob(blob)).rejects.toThrow(
      /versioning.*restoreBlob\(blob, \{ versionId \}\)/,
    );
  });

  test("a version is copied over the base blob with a read SAS for the version", async () => {
    const version = "2024-05-01T10:00:00.0000000Z";
    await using server = await startContractServer((r): Answer => {
      if (r.method === "HEAD")
        return { status: 200, headers: blobHeaders({ "x-ms-version-id": version }) };
      if (r.method === "PUT" && r.headers["x-ms-copy-source"]) {
        return {
          status: 202,
          headers: {
            "x-ms-copy-id": "copy-1",
            "x-ms-copy-status": "success",
            etag: '"0x2"',
            "last-modified": "Mon, 01 Jan 2024 00:00:01 GMT",
          },
        };
      }
      return errorAnswer(400, "Unexpected");
    });
    const blob = server.service.getContainerClient("docs").getBlobClient("a.txt");
    const result = await restoreBlob(blob, { versionId: version });
    expect(result).toEqual({ restoredFrom: "version", etag: '"0x2"' });
    const [head, copy] = server.requests;
    expect(head?.method).toBe("HEAD");
    expect(head?.query.get("versionid")).toBe(version);
    expect(copy).toMatchObject({ method: "PUT", path: "/docs/a.txt" });
    expect(copy?.headers["x-ms-requires-sync"]).toBe("true");
    const source = new URL(String(copy?.headers["x-ms-copy-source"]));
    expect(source.pathname).toBe("/devstoreaccount1/docs/a.txt");
    expect(source.searchParams.get("versionid")).toBe(version);
    expect(source.searchParams.get("sp")).toBe("r");
    expect(source.searchParams.get("sr")).toBe("bv");
    expect(source.searchParams.get("sig")).toBeTruthy();
  });

  test("a missing version (or versioning off): says versions need versioning", async () => {
    await using server = await startContractServer(() => errorAnswer(404, "BlobNotFound"));
    const blob = server.service.getContainerClient("docs").getBlobClient("a.txt");
    const error = await restoreBlob(blob, { versionId: "2024-01-01T00:00:00.0000000Z" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "NotFound" });
    expect(String(error)).toMatch(
      /version 2024-01-01T00:00:00.0000000Z does not exist.*versioning enabled/,
    );
  });
});
