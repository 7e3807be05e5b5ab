import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/performance-tuning.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

const MiB = 1024 * 1024;

test("the performance-tuning sample plans, uploads and downloads with tuned settings", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  expect(results.plans.small).toMatchObject({ singleShot: true, memory: 10 * MiB });
  expect(results.plans.gigabyte).toMatchObject({
    singleShot: false,
    blockSize: 8 * MiB,
    blockCount: 128,
    memory: 40 * MiB,
  });
  expect(results.plans.huge).toMatchObject({ blockSize: 21 * MiB, blockCount: 49_933 });
  expect(results.plans.tuned).toMatchObject({ blockSize: 16 * MiB, memory: 144 * MiB });
  expect(results.fast).toMatchObject({ contentLength: 40 * MiB, blockCount: 3 });
  expect(results.small).toMatchObject({ contentLength: 40 * MiB, blockCount: 20 });
  expect(results.slow).toMatchObject({ contentLength: 40 * MiB, blockCount: 40 });
  expect(results.streamed).toMatchObject({ contentLength: 40 * MiB, blockCount: 5 });
  expect(results.downloaded).toMatchObject({ contentLength: 40 * MiB, etag: results.fast.etag });
  expect(results.throughput).toBeGreaterThan(0);
});
