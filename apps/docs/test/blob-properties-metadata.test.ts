import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/blob-properties-metadata.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the blob-properties-metadata sample reads, merges headers and updates metadata safely", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.before).toEqual({ contentType: "application/pdf", metadata: {} });
  expect(result.headers).toMatchObject({
    contentType: "application/pdf",
    contentDisposition: 'attachment; filename="Q1 report.pdf"',
    cacheControl: "public, max-age=3600",
  });
  expect(result.refused).toMatch(
    /Invalid metadata.reviewed-by: name "reviewed-by" is not a C# identifier/,
  );
  expect(result.counts).toEqual([1, 2, 3, 4]);
  expect(result.after.metadata).toEqual({
    department: "finance",
    ReviewedOn: "2024-05-01", // the case is kept through the four updates
    downloads: "4",
  });
  expect(result.staleWrite).toBe(false);
  expect(result.freshWrite).toBe(true);
});
