import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/download-blobs.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the download-blobs sample reads blobs into every kind of destination", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  expect(results.settings).toEqual({ theme: "dark" });
  expect(results.image.bytes).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  expect(results.image.contentType).toBe("image/png");
  expect(results.backup.contentLength).toBe(results.csvLength);
  expect(results.backup.contentType).toBe("text/csv; charset=utf-8");
  expect(results.savedIdentical).toBe(true);
  expect(results.lines).toBe(5001);
  expect(results.checksumMatches).toBe(true);
  expect(results.header).toEqual({ text: "id,name\n", length: 1024 });
  expect(results.blobSize).toBe(results.csvLength);
  expect(results.unchanged).toMatchObject({ changed: false, text: "cached" });
  expect(results.changed).toMatchObject({ changed: true, text: '{"theme":"light"}' });
  expect(results.changed.etag).not.toBe(results.unchanged.etag);
  expect(results.flaky.contentLength).toBe(results.csvLength);
});
