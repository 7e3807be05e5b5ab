import { createServer } from "node:http";
import { connect } from "@blobkit/auth";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "@blobkit/testing";
import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { describe, expect, test } from "vitest";
import { isReadable, main, readOrRehydrate } from "../samples/access-tiers.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

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
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(`${req.method} ${url.pathname}?${url.searchParams}`);
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
    } else if (requests.filter((r) => r.startsWith("PUT")).length === 0) {
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}`,
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey: AZURITE_ACCOUNT_KEY,
    },
    retry: { maxTries: 1 },
  });
  return {
    service,
    requests,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
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
