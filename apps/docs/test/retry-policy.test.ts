import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/retry-policy.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the retry-policy sample: healthy calls do not retry, a silent endpoint times out", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const started = performance.now();
  const result = await main(env);
  expect(result.healthy.ok).toBe(true);
  expect(result.retries).toEqual([]);
  expect(result.secondaryUrl).toMatch(/^https:\/\/devstoreaccount1\.blob\.core\.windows\.net/);
  expect(result.silent).toMatchObject({ name: "StorageError", code: "Timeout", tries: 2 });
  // two tries of 500 ms and one short backoff; never a hang
  expect(performance.now() - started).toBeLessThan(5_000);
});
