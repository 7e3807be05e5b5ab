// Slow by nature: Azurite expires leases in real time, so keeping a 15 s lease alive is shown over
// 40 s, and a renewal outage is shown until the lease would expire.
import { startFaultProxy } from "@blobkit/testing";
import { describe, test } from "@blobkit/testing/vitest";
import { acquireLease, getLeaseState, isLeaseLost, withLease } from "../src/index.js";
import { blobWith, containerOf, delay, readText } from "./helpers.js";

describe.concurrent("renewal", () => {
  test("keeps a 15 s lease alive through a 40 s fn", async ({ azurite, container, expect }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "long", "0");
    const states: string[] = [];
    const result = await withLease(
      blob,
      async (lease) => {
        for (let second = 10; second <= 40; second += 10) {
          await delay(10_000);
          expect(lease.signal.aborted).toBe(false);
          states.push((await getLeaseState(blob)).state);
          // Another client cannot take it, and our id still writes.
          await expect(acquireLease(blob, 15)).rejects.toMatchObject({ code: "LeaseConflict" });
          await blob.upload(String(second), String(second).length, {
            conditions: { leaseId: lease.leaseId },
            abortSignal: lease.signal,
          });
        }
        return "done";
      },
      { durationSeconds: 15 },
    );
    expect(result).toBe("done");
    expect(states).toEqual(["leased", "leased", "leased", "leased"]);
    expect(await readText(blob)).toBe("40");
    expect((await getLeaseState(blob)).state).toBe("available");
  }, 60_000);

  test("a short outage of renewals is retried and the lease survives", async ({
    azurite,
    container,
    expect,
  }) => {
    await blobWith(await containerOf(azurite, container.name), "outage");
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const viaProxy = await containerOf(azurite, container.name, { maxTries: 1 }, proxy.url);
    const blob = viaProxy.getBlockBlobClient("outage");
    await withLease(
      blob,
      async (lease) => {
        proxy.setRules([{ fault: "status", status: 503, path: /comp=lease/ }]);
        await delay(3_000);
        proxy.setRules([]);
        expect(proxy.stats.faults.status).toBeGreaterThanOrEqual(2);
        await delay(2_000);
        expect(lease.signal.aborted).toBe(false);
        await blob.upload("ok", 2, { conditions: { leaseId: lease.leaseId } });
      },
      { durationSeconds: 15, renewIntervalMs: 1_000 },
    );
    expect((await getLeaseState(blob)).state).toBe("available");
  }, 30_000);

  test("renewals failing until expiry: the lease counts as lost before it expires", async ({
    azurite,
    container,
    expect,
  }) => {
    await blobWith(await containerOf(azurite, container.name), "expiry");
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const viaProxy = await containerOf(azurite, container.name, { maxTries: 1 }, proxy.url);
    const blob = viaProxy.getBlockBlobClient("expiry");
    const started = performance.now();
    let lostAfterMs = 0;
    let stateAtLoss = "";
    const error = await withLease(
      blob,
      async (lease) => {
        proxy.setRules([{ fault: "status", status: 500, path: /comp=lease/ }]);
        await new Promise((resolve) => lease.signal.addEventListener("abort", resolve));
        lostAfterMs = performance.now() - started;
        stateAtLoss = (await getLeaseState(blob)).state;
        lease.signal.throwIfAborted();
      },
      { durationSeconds: 15, renewIntervalMs: 2_000 },
    ).catch((e: unknown) => e);
    expect(isLeaseLost(error)).toBe(true);
    expect((error as Error).message).toMatch(/could not be renewed before it expires/);
    // Reported lost while the service still had it as leased: never after someone could take it.
    expect(stateAtLoss).toBe("leased");
    expect(lostAfterMs).toBeLessThan(15_000);
  }, 30_000);
});
