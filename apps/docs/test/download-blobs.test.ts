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
  expect(results.gzipped).toEqual({
    encoding: "gzip",
    contentType: "text/csv; charset=utf-8",
    identical: true,
  });
  expect(results.header).toEqual({ text: "id,name\n", length: 1024 });
  expect(results.blobSize).toBe(results.csvLength);
  expect(results.unchanged).toMatchObject({ changed: false, text: "cached" });
  expect(results.changed).toMatchObject({ changed: true, text: '{"theme":"light"}' });
  expect(results.changed.etag).not.toBe(results.unchanged.etag);
  expect(results.flaky.contentLength).toBe(results.csvLength);
  // Whole-blob downloads are checked against the stored MD5, ranges cannot be.
  expect(results.backup.verification).toBe("verified");
  expect(results.checked).toBe("verified");
  // A wrong stored MD5: both tries fail and leave no file; the bytes are kept aside unchecked.
  expect(results.damaged).toEqual({ outcome: "quarantined", verification: "disabled" });
  expect(results.quarantineFiles).toEqual(["damaged.csv.suspect"]);
  expect(results.suspectIdentical).toBe(true);
  expect(results.credentials).toMatchObject({ contentLength: 19, verification: "verified" });
  if (process.platform !== "win32") expect(results.credentialsMode).toBe(0o600);
});
