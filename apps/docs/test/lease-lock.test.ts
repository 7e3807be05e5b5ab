import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/lease-lock.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the lease-lock sample: no lost update, work stops on loss, one leader at a time", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.count).toBe(40);
  expect(result.job.lost).toBe(true);
  expect(result.job.completed).toBeLessThan(50);
  // Nothing was written after the loss: the last write that succeeded is the last one recorded.
  expect(result.recorded).toBe(result.job.completed);
  expect([...result.leaders].sort()).toEqual(["alpha", "beta"]);
}, 30_000);
