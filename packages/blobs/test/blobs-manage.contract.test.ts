// Contract tests for what Azurite does not implement (soft delete and undelete, versions, pending
// asynchronous copies, rehydration that takes time, findBlobsByTags paging): the exact REST
// requests the SDK sends through BlobKit, and BlobKit's handling of the documented responses.
import { describe, expect, test } from "vitest";
import {
  copyBlob,
  findBlobsByTags,
  getBlobTier,
  listBlobs,
  restoreBlob,
  setBlobTags,
  setBlobTier,
  tagQuery,
} from "../src/index.js";
import { type Answer, blobHeaders, errorAnswer, startContractServer } from "./contract-server.js";

const props = (enabled: boolean, days = 7) =>
  `<?xml version="1.0" encoding="utf-8"?><StorageServiceProperties><DeleteRetentionPolicy><Enabled>${enabled}</Enabled>${enabled ? `<Days>${days}</Days>` : ""}</DeleteRetentionPolicy></StorageServiceProperties>`;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

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

describe("copyBlob (contract: pending asynchronous copies)", () => {
  const big = String(300 * 1024 * 1024);

  test("a source over 256 MiB is copied asynchronously, followed with progress", async () => {
    let polls = 0;
    await using server = await startContractServer((r): Answer => {
      if (r.method === "HEAD" && r.path === "/src/big.bin") {
        return { status: 200, headers: blobHeaders({ "content-length": big }) };
      }
      if (r.method === "PUT") {
        return { status: 202, headers: { "x-ms-copy-id": "c-1", "x-ms-copy-status": "pending" } };
      }
      polls++;
      const done = polls >= 3;
      return {
        status: 200,
        headers: blobHeaders({
          "x-ms-copy-id": "c-1",
          "x-ms-copy-status": done ? "success" : "pending",
          "x-ms-copy-progress": `${done ? big : String(polls * 100)}/${big}`,
        }),
      };
    });
    const source = server.service.getContainerClient("src").getBlobClient("big.bin");
    const destination = server.service.getContainerClient("dst").getBlobClient("big.bin");
    const progress: number[] = [];
    const result = await copyBlob(source, destination, {
      pollIntervalMs: 1,
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(result).toMatchObject({ mechanism: "async", status: "success", copyId: "c-1" });
    expect(progress).toEqual([100, 200, 300 * 1024 * 1024]);
    const put = server.requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe("/dst/big.bin");
    expect(put?.headers["x-ms-requires-sync"]).toBeUndefined();
    // Same account, asynchronous: the destination request authorizes the source; no SAS needed.
    expect(put?.headers["x-ms-copy-source"]).toBe(`${server.blobEndpoint}/src/big.bin`);
  });

  test("waitForCompletion: false returns the pending copy at once", async () => {
    await using server = await startContractServer(
      (r): Answer =>
        r.method === "HEAD"
          ? { status: 200, headers: blobHeaders({ "content-length": big }) }
          : { status: 202, headers: { "x-ms-copy-id": "c-2", "x-ms-copy-status": "pending" } },
    );
    const container = server.service.getContainerClient("c");
    const result = await copyBlob(container.getBlobClient("a"), container.getBlobClient("b"), {
      waitForCompletion: false,
    });
    expect(result).toMatchObject({ mechanism: "async", status: "pending", copyId: "c-2" });
    expect(server.requests).toHaveLength(2);
  });

  test("when the signal fires, the pending copy is aborted with abortCopyFromURL", async () => {
    const controller = new AbortController();
    await using server = await startContractServer((r): Answer => {
      if (r.method === "HEAD" && r.path === "/c/a") {
        return { status: 200, headers: blobHeaders({ "content-length": big }) };
      }
      if (r.method === "PUT" && r.query.get("comp") === "copy") return { status: 204 };
      if (r.method === "PUT") {
        return { status: 202, headers: { "x-ms-copy-id": "c-3", "x-ms-copy-status": "pending" } };
      }
      controller.abort();
      return {
        status: 200,
        headers: blobHeaders({
          "x-ms-copy-id": "c-3",
          "x-ms-copy-status": "pending",
          "x-ms-copy-progress": `1/${big}`,
        }),
      };
    });
    const container = server.service.getContainerClient("c");
    const error = await copyBlob(container.getBlobClient("a"), container.getBlobClient("b"), {
      pollIntervalMs: 1,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Aborted" });
    expect(String(error)).toMatch(/pending copy was aborted \(abortCopyFromURL\)/);
    const abort = server.requests.at(-1);
    expect(abort).toMatchObject({ method: "PUT", path: "/c/b" });
    expect(abort?.query.get("comp")).toBe("copy");
    expect(abort?.query.get("copyid")).toBe("c-3");
    expect(abort?.headers["x-ms-copy-action"]).toBe("abort");
  });

  test("a copy the service cannot read: CannotVerifyCopySource gets a clear message", async () => {
    await using server = await startContractServer(
      (r): Answer =>
        r.method === "HEAD"
          ? { status: 200, headers: blobHeaders() }
          : errorAnswer(
              403,
              "CannotVerifyCopySource",
              "This request is not authorized to perform this operation.",
            ),
    );
    const other = server.service.getContainerClient("c");
    const error = await copyBlob(other.getBlobClient("a"), other.getBlobClient("b"), {
      mode: "sync",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 403, serviceCode: "CannotVerifyCopySource" });
    expect(String(error)).toMatch(/could not read the source.*pass sourceAuthorization/);
    expect(String(error)).not.toMatch(/sig=/);
  });

  test("a source in another account gets a read SAS even for an asynchronous copy", async () => {
    await using server = await startContractServer(
      (r): Answer =>
        r.method === "HEAD"
          ? { status: 200, headers: blobHeaders({ "content-length": big }) }
          : { status: 202, headers: { "x-ms-copy-id": "c-4", "x-ms-copy-status": "success" } },
    );
    const { BlobClient, StorageSharedKeyCredential } = await import("@azure/storage-blob");
    const source = new BlobClient(
      `${server.blobEndpoint.replace("devstoreaccount1", "otheraccount")}/c/a`,
      new StorageSharedKeyCredential("otheraccount", "a2V5"),
    );
    const destination = server.service.getContainerClient("c").getBlobClient("b");
    await copyBlob(source, destination);
    const put = server.requests.find((r) => r.method === "PUT");
    const copySource = new URL(String(put?.headers["x-ms-copy-source"]));
    expect(copySource.pathname).toBe("/otheraccount/c/a");
    expect(copySource.searchParams.get("sp")).toBe("r");
    expect(copySource.searchParams.get("sig")).toBeTruthy();
  });
});

describe("tiers and tags (contract)", () => {
  test("leaving Archive answers 202: pending, then getBlobTier reads the rehydration", async () => {
    await using server = await startContractServer((r): Answer => {
      if (r.method === "PUT") return { status: 202 };
      return {
        status: 200,
        headers: blobHeaders({
          "x-ms-access-tier": "Archive",
          "x-ms-archive-status": "rehydrate-pending-to-hot",
          "x-ms-rehydrate-priority": "High",
        }),
      };
    });
    const blob = server.service.getContainerClient("c").getBlobClient("a");
    expect(await setBlobTier(blob, "Hot", { rehydratePriority: "High" })).toEqual({
      pending: true,
    });
    const [put] = server.requests;
    expect(put?.query.get("comp")).toBe("tier");
    expect(put?.headers["x-ms-access-tier"]).toBe("Hot");
    expect(put?.headers["x-ms-rehydrate-priority"]).toBe("High");
    expect(await getBlobTier(blob)).toMatchObject({
      tier: "Archive",
      archived: true,
      rehydrating: true,
      rehydratingTo: "Hot",
      rehydratePriority: "High",
    });
  });

  test("changing the tier while rehydrating: BlobBeingRehydrated is explained", async () => {
    await using server = await startContractServer(() => errorAnswer(409, "BlobBeingRehydrated"));
    const blob = server.service.getContainerClient("c").getBlobClient("a");
    await expect(setBlobTier(blob, "Cool")).rejects.toThrow(/being rehydrated.*getBlobTier/);
  });

  test("an empty tag value is sent as an empty <Value> (Azure accepts 0-256 characters)", async () => {
    await using server = await startContractServer(() => ({ status: 204 }));
    const blob = server.service.getContainerClient("c").getBlobClient("a");
    await setBlobTags(blob, { flag: "" });
    const [put] = server.requests;
    expect(put?.method).toBe("PUT");
    expect(put?.query.get("comp")).toBe("tags");
    expect(put?.body).toMatch(/<Tag><Key>flag<\/Key><Value\s*(\/>|><\/Value>)<\/Tag>/);
  });
});
