import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/upload-blobs.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the upload-blobs sample uploads every kind of source, once-only, cancellable and checksummed", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  expect(results.settings).toMatchObject({ blockCount: 0, contentLength: 28 });
  expect(results.report.contentLength).toBe(15 + 10 * 10_000);
  expect(results.compressed.contentLength).toBeGreaterThan(0);
  expect(results.compressed.contentLength).toBeLessThan(500_000);
  expect(results.fromBlob.contentLength).toBe(41);
  expect(results.first).toBe("created");
  expect(results.second).toBe("kept the existing blob");
  expect(results.cancelled).toMatchObject({ name: "StorageError", code: "Aborted" });
  expect(results.neverCommitted).toBe(true);
  // A CRC-64 per request, and the whole-blob MD5 stored, for one request and for blocks alike.
  expect(results.exported.contentLength).toBe(9 + 11 * 20_000);
  expect(results.exportedMD5Matches).toBe(true);
  expect(results.multiBlock.blockCount).toBe(3);
  expect(results.multiBlockMD5Matches).toBe(true);
  expect(results.properties).toEqual({
    contentType: "text/csv",
    metadata: { department: "finance", quarter: "Q1" },
    accessTier: "Cool",
    cacheControl: "private, max-age=3600",
    tags: { year: "2024", status: "final" },
  });
});
