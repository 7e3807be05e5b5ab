import { startStubServer } from "@blobkit/testing";
import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { describe, expect, test } from "vitest";
import { main, restoreLatestVersion, undoDelete } from "../samples/delete-restore-blobs.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";
import { stubService } from "./stub-service.ts";

test("the delete-restore-blobs sample deletes one, cleans up, purges 300 and rolls back", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.tempDeleted).toEqual([false]);
  expect(result.purge).toEqual({ deleted: 300, failed: 0 });
  expect(result.rolledBack).toBe("first draft");
  expect(result.left).toBe(1);
});

/**
 * Azurite has no blob soft delete and no versions, so the guide's restore code runs against a
 * loopback server that answers Undelete Blob, Get Blob Service Properties, List Blobs with
 * versions and Copy Blob From URL as Azure documents.
 */
async function azureLikeServer(options: { softDelete: boolean; deleted: boolean }) {
  const stub = await startStubServer((req, res) => {
    const base = { "x-ms-request-id": "r", "x-ms-version": "2025-11-05" };
    const xml = { ...base, "content-type": "application/xml" };
    const comp = req.query.get("comp");
    if (comp === "undelete") {
      if (options.deleted) res.writeHead(200, base).end();
      else
        res
          .writeHead(404, { ...xml, "x-ms-error-code": "BlobNotFound" })
          .end(
            `<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.</Message></Error>`,
          );
    } else if (comp === "properties") {
      res
        .writeHead(200, xml)
        .end(
          `<?xml version="1.0" encoding="utf-8"?><StorageServiceProperties><DeleteRetentionPolicy><Enabled>${options.softDelete}</Enabled>${options.softDelete ? "<Days>7</Days>" : ""}</DeleteRetentionPolicy></StorageServiceProperties>`,
        );
    } else if (comp === "list") {
      const version = (id: string, current: boolean) =>
        `<Blob><Name>doc.txt</Name><VersionId>${id}</VersionId>${current ? "<IsCurrentVersion>true</IsCurrentVersion>" : ""}<Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>0x1</Etag><Content-Length>5</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>`;
      res
        .writeHead(200, xml)
        .end(
          `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://x/" ContainerName="docs"><Blobs>${version("2024-01-01T00:00:00.0000000Z", false)}${version("2024-02-01T00:00:00.0000000Z", false)}${version("2024-03-01T00:00:00.0000000Z", true)}</Blobs><NextMarker /></EnumerationResults>`,
        );
    } else if (req.method === "HEAD") {
      res
        .writeHead(200, {
          ...base,
          "content-length": "5",
          "x-ms-blob-type": "BlockBlob",
          etag: '"0x2"',
        })
        .end();
    } else {
      res
        .writeHead(202, {
          ...base,
          "x-ms-copy-id": "c",
          "x-ms-copy-status": "success",
          etag: '"0x3"',
        })
        .end();
    }
  });
  return stubService(stub);
}

describe("the guide's restore code, against Azure's documented responses", () => {
  test("undeletes a soft-deleted blob", async () => {
    await using azure = await azureLikeServer({ softDelete: true, deleted: true });
    const blob = azure.service.getContainerClient("docs").getBlobClient("doc.txt");
    expect(await undoDelete(blob)).toEqual({ restored: true });
    expect(azure.requests[0]).toBe("PUT /devstoreaccount1/docs/doc.txt?comp=undelete");
  });

  test("explains that soft delete is off", async () => {
    await using azure = await azureLikeServer({ softDelete: false, deleted: false });
    const blob = azure.service.getContainerClient("docs").getBlobClient("doc.txt");
    const result = await undoDelete(blob);
    expect(result.restored).toBe(false);
    expect(result.reason).toMatch(/blob soft delete is off on this account/);
  });

  test("restores the latest previous version", async () => {
    await using azure = await azureLikeServer({ softDelete: true, deleted: true });
    const container = azure.service.getContainerClient("docs");
    expect(await restoreLatestVersion(container, "doc.txt")).toBe("2024-02-01T00:00:00.0000000Z");
    const copy = azure.requests.at(-1);
    expect(copy).toBe("PUT /devstoreaccount1/docs/doc.txt?");
  });
});
