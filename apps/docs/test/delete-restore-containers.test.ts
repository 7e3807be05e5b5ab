import { startStubServer } from "@blobkit/testing";
import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { describe, expect, test } from "vitest";
import { main, undoDelete } from "../samples/delete-restore-containers.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";
import { stubService } from "./stub-service.ts";

test("the delete-restore-containers sample deletes one, cleans up, and deletes by prefix", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const { cleanedExisting, ci } = await main(env);
  expect(cleanedExisting).toBe(false);
  expect(ci.deleted).toBe(4);
  expect(ci.failed).toBe(1);
  expect(ci.leftOver).toEqual([expect.stringMatching(/-run-3$/)]);
});

/**
 * Azurite has no container soft delete, so the restore code of the guide runs against a loopback
 * server that answers List Containers (include=deleted) and Restore Container as Azure documents.
 */
async function azureLikeServer(options: { deletedVersion?: string; undeleteStatus?: number }) {
  const stub = await startStubServer((req, res) => {
    const headers = { "x-ms-request-id": "r", "x-ms-version": "2025-11-05" };
    if (req.query.get("comp") === "list") {
      const deleted = options.deletedVersion
        ? `<Container><Name>invoices</Name><Deleted>true</Deleted><Version>${options.deletedVersion}</Version><Properties><Last-Modified>Wed, 01 May 2024 10:00:00 GMT</Last-Modified><Etag>"0x1"</Etag><DeletedTime>Wed, 01 May 2024 10:00:00 GMT</DeletedTime><RemainingRetentionDays>6</RemainingRetentionDays></Properties></Container>`
        : "";
      res.writeHead(200, { ...headers, "content-type": "application/xml" });
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://127.0.0.1/"><Containers>${deleted}</Containers><NextMarker /></EnumerationResults>`,
      );
      return;
    }
    const status = options.undeleteStatus ?? 201;
    if (status === 201) {
      res.writeHead(201, headers).end();
    } else {
      res
        .writeHead(status, { ...headers, "x-ms-error-code": "ContainerAlreadyExists" })
        .end(
          '<?xml version="1.0" encoding="utf-8"?><Error><Code>ContainerAlreadyExists</Code><Message>The specified container already exists.</Message></Error>',
        );
    }
  });
  return stubService(stub);
}

describe("the guide's restore code, against Azure's documented responses", () => {
  test("restores the deleted version it finds", async () => {
    await using azure = await azureLikeServer({ deletedVersion: "01DA0000000000B2" });
    expect(await undoDelete(azure.service, "invoices")).toEqual({
      restored: true,
      version: "01DA0000000000B2",
    });
    expect(azure.requests).toEqual([
      "GET /devstoreaccount1/?comp=list&prefix=invoices&include=deleted",
      "PUT /devstoreaccount1/invoices?restype=container&comp=undelete",
    ]);
  });

  test("explains when there is nothing to restore (soft delete off or retention over)", async () => {
    await using azure = await azureLikeServer({});
    expect(await undoDelete(azure.service, "invoices")).toEqual({
      restored: false,
      reason: "NotFound",
    });
  });

  test("explains when a new container took the name", async () => {
    await using azure = await azureLikeServer({
      deletedVersion: "01DA0000000000B2",
      undeleteStatus: 409,
    });
    expect(await undoDelete(azure.service, "invoices")).toEqual({
      restored: false,
      reason: "AlreadyExists",
    });
  });
});
