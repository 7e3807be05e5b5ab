// An acquire aborted while its request is in flight releases the lease it may have been granted,
// without holding up the abort when the service is slow (found by the reliability suite).
import { isStorageError, type StorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { expect, test } from "@blobkit/testing/vitest";
import { acquireLease } from "../src/index.js";
import { blobWith, containerOf } from "./helpers.js";

test("an acquire aborted in flight rejects at once, and still sends the release", async ({
  azurite,
  container,
}) => {
  await blobWith(await containerOf(azurite, container.name), "slow.txt");
  // Every lease request takes 5 s to reach the emulator: the acquire and its clean-up release.
  await using proxy = await startFaultProxy(azurite.blobEndpoint, {
    rules: [{ fault: "delay", method: "PUT", path: /comp=lease/, delayMs: 5_000 }],
  });
  const slow = await containerOf(azurite, container.name, { maxTries: 1 }, proxy.url);
  const controller = new AbortController();
  const acquiring = acquireLease(slow.getBlobClient("slow.txt"), "infinite", {
    signal: controller.signal,
  });
  while (proxy.stats.requests < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  const abortedAt = performance.now();
  controller.abort();
  const error = (await acquiring.catch((caught: unknown) => caught)) as StorageError;
  const latency = performance.now() - abortedAt;
  expect(isStorageError(error, "Aborted")).toBe(true);
  // Before the fix, the abort waited for the release: 5 s here, minutes on a silent service.
  expect(latency).toBeLessThan(1_000);
  // The release of the random lease id was sent anyway.
  expect(proxy.stats.requests).toBe(2);
});
