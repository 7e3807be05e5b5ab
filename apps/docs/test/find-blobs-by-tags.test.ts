import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/find-blobs-by-tags.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the find-blobs-by-tags sample tags, queries, finds and updates conditionally", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.tags).toMatchObject({ kind: "invoice", status: "open", due: "2024-04-30" });
  expect(result.query).toMatch(
    /^"kind" = 'invoice' AND "customer" = 'c[a-z0-9]+' AND "status" = 'open' AND "due" < '2024-05-01'$/,
  );
  expect(result.overdue).toEqual(["2024/001.pdf", "2024/003.pdf"]);
  expect(result.pages.flat().sort()).toEqual(["2024/001.pdf", "2024/002.pdf", "2024/003.pdf"]);
  expect(result.refused).toEqual([
    expect.stringMatching(/has a character other than letters/),
    expect.stringMatching(/no OR/),
    expect.stringMatching(/a key may appear twice only as a range/),
  ]);
  expect(result.paidFirst).toBe(true);
  expect(result.paidAgain).toBe(false);
  expect(result.overdueAfter).toBe(1);
});
