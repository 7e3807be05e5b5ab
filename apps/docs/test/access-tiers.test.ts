import { startStubServer } from "@blobkit/testing";
import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { describe, expect, test } from "vitest";
import { isReadable, main, readOrRehydrate } from "../samples/access-tiers.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";
import { stubService } from "./stub-service.ts";

test("the access-tiers sample moves tiers, archives, rehydrates and reads", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.cooled).toBe("Cool");
  expect(result.archived).toEqual({ archived: 2, failed: 0 });
  // Both Azurite and Azure answer 202 (pending); Azurite then rehydrates at once, Azure takes
  // hours (see below).
  expect(result.first).toEqual({ rehydrating: true });
  expect(result.readable).toBe(true);
  expect(result.second).toEqual({ content: "a,b,c" });
  expect(result.copy).toMatchObject({ mode: "copy" });
  expect(result.copyTier).toBe("Cool");
  expect(result.stillArchived).toBe(true);
});

/** Answers as Azure does for an archived blob: 409 BlobArchived, then 202 and a pending rehydration. */
async function archiveServer() {
  const stub = await startStubServer((req, res) => {
    const base = { "x-ms-request-id": "r", "x-ms-version": "2025-11-05" };
    const archived = {
      ...base,
      "content-length": "5",
      "x-ms-blob-type": "BlockBlob",
      "x-ms-access-tier": "Archive",
    };
    if (req.method === "GET") {
      res
        .writeHead(409, {
          ...base,
          "x-ms-error-code": "BlobArchived",
          "content-type": "application/xml",
        })
        .end(
          `<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobArchived</Code><Message>This operation is not permitted on an archived blob.</Message></Error>`,
        );
    } else if (req.method === "PUT") {
      res.writeHead(202, base).end();
    } else if (!stub.requests.some((r) => r.method === "PUT")) {
      res.writeHead(200, archived).end();
    } else {
      res
        .writeHead(200, {
          ...archived,
          "x-ms-archive-status": "rehydrate-pending-to-hot",
          "x-ms-rehydrate-priority": "High",
        })
        .end();
    }
  });
  return stubService(stub);
}

describe("the guide's rehydration code, against Azure's documented responses", () => {
  test("a read of an archived blob starts a High-priority rehydration that stays pending", async () => {
    await using azure = await archiveServer();
    const blob = azure.service.getContainerClient("old").getBlobClient("a.csv");
    expect(await readOrRehydrate(blob)).toEqual({ rehydrating: true });
    expect(azure.requests).toContain("PUT /devstoreaccount1/old/a.csv?comp=tier");
    expect(await isReadable(blob)).toBe(false);
  });
});
