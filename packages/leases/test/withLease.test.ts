import { isStorageError, type StorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { breakLease, getLeaseState, isLeaseLost, withLease } from "../src/index.js";
import { activeTimers, blobWith, containerOf, delay, readText } from "./helpers.js";

describe("withLease", () => {
  test("mutual exclusion: 8 workers x 25 increments = 200", async ({ azurite, container }) => {
    const client = await containerOf(azurite, container.name, { maxTries: 4 });
    const counter = await blobWith(client, "counter", "0");
    const worker = async () => {
      for (let i = 0; i < 25; i++) {
        await withLease(
          counter,
          async (lease) => {
            const value = Number(await readText(counter, lease.signal));
            const next = String(value + 1);
            await counter.upload(next, next.length, {
              conditions: { leaseId: lease.leaseId },
              abortSignal: lease.signal,
            });
          },
          { wait: { timeoutMs: 120_000, retryDelayMs: 5, maxRetryDelayMs: 50 } },
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(await readText(counter)).toBe("200");
    expect((await getLeaseState(counter)).state).toBe("available");
  }, 120_000);

  test("lock loss: a break aborts fn's signal within one renewal interval, and a later write is rejected (412)", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "lock", "before");
    const renewIntervalMs = 1_000;
    let brokenAt = 0;
    let abortedAt = 0;
    let write: unknown;
    const error = (await withLease(
      blob,
      async (lease) => {
        lease.signal.addEventListener("abort", () => {
          abortedAt = performance.now();
        });
        await delay(200);
        brokenAt = performance.now();
        await breakLease(blob, { breakPeriodSeconds: 0 });
        // Wait for the signal (bounded, to detect a hang).
        await Promise.race([
          new Promise((resolve) => lease.signal.addEventListener("abort", resolve)),
          delay(10_000),
        ]);
        expect(lease.signal.aborted).toBe(true);
        write = await blob
          .upload("after", 5, { conditions: { leaseId: lease.leaseId } })
          .catch((e: unknown) => e);
        lease.signal.throwIfAborted();
      },
      { durationSeconds: 15, renewIntervalMs },
    ).catch((e: unknown) => e)) as StorageError;
    // Within one renewal interval (plus the time of one renewal request, generously).
    expect(abortedAt - brokenAt).toBeLessThan(renewIntervalMs + 2_000);
    expect((write as { statusCode?: number }).statusCode).toBe(412);
    expect(await readText(blob)).toBe("before");
    expect(isLeaseLost(error)).toBe(true);
    expect(error.serviceCode).toBe("LeaseIsBrokenAndCannotBeRenewed");
    expect(error.message).toMatch(/was lost: the service refused it/);
  });

  test("a write refused for the lease is reported as the loss at once", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "lock", "before");
    const error = await withLease(
      blob,
      async (lease) => {
        await breakLease(blob, { breakPeriodSeconds: 0 });
        await blob.upload("after", 5, { conditions: { leaseId: lease.leaseId } });
      },
      { durationSeconds: 60 },
    ).catch((e: unknown) => e);
    expect(isLeaseLost(error)).toBe(true);
  });

  test("release happens when fn throws, and fn's error comes back unchanged", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "lock");
    const timersBefore = activeTimers();
    const boom = new TypeError("boom");
    const error = await withLease(
      blob,
      async () => {
        expect((await getLeaseState(blob)).state).toBe("leased");
        throw boom;
      },
      { durationSeconds: "infinite", renewIntervalMs: 100 },
    ).catch((e: unknown) => e);
    expect(error).toBe(boom);
    expect((await getLeaseState(blob)).state).toBe("available");
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  test("the held lease can be JSON.stringify-ed (no client, no signal)", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "json");
    const json = await withLease(blob, (lease) => JSON.parse(JSON.stringify(lease)), {
      durationSeconds: 20,
    });
    expect(json).toEqual({
      leaseId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      target: `blob 'json' in container '${container.name}'`,
      durationSeconds: 20,
      acquiredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  test("returns fn's value, releases, and leaves no timer running", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "lock");
    const timersBefore = activeTimers();
    const value = await withLease(
      blob,
      async (lease) => {
        await delay(350);
        return lease.leaseId;
      },
      { renewIntervalMs: 100 },
    );
    expect(value).toMatch(/^[0-9a-f-]{36}$/);
    expect((await getLeaseState(blob)).state).toBe("available");
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  test("the caller's abort reaches fn, then withLease rejects with Aborted and releases", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "lock");
    const caller = new AbortController();
    const error = await withLease(
      blob,
      async (lease) => {
        setTimeout(() => caller.abort(), 100);
        await new Promise((resolve) => lease.signal.addEventListener("abort", resolve));
        lease.signal.throwIfAborted();
      },
      { signal: caller.signal },
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "Aborted")).toBe(true);
    expect((await getLeaseState(blob)).state).toBe("available");
  });

  test("after the caller aborts, a release the service never answers is given up after releaseTimeoutMs", async ({
    azurite,
    container,
  }) => {
    await blobWith(await containerOf(azurite, container.name), "lock");
    // The first lease request (acquire) goes through; the next one (the release) gets no answer.
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "stall", method: "PUT", path: /comp=lease/, after: 1 }],
    });
    const viaProxy = await containerOf(azurite, container.name, { maxTries: 1 }, proxy.url);
    const caller = new AbortController();
    let abortedAt = 0;
    const error = await withLease(
      viaProxy.getBlockBlobClient("lock"),
      async (lease) => {
        setTimeout(() => {
          abortedAt = performance.now();
          caller.abort();
        }, 50);
        await new Promise((resolve) => lease.signal.addEventListener("abort", resolve));
        lease.signal.throwIfAborted();
      },
      { signal: caller.signal, releaseTimeoutMs: 300 },
    ).catch((e: unknown) => e);
    const waited = performance.now() - abortedAt;
    expect(isStorageError(error, "Aborted")).toBe(true);
    // Without the limit the release would wait for the 30 s per-try timeout.
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(5_000);
    expect(proxy.stats.faults.stall).toBe(1);
    // Not released: the lease is left to expire after its duration.
    const direct = (await containerOf(azurite, container.name)).getBlockBlobClient("lock");
    expect((await getLeaseState(direct)).state).toBe("leased");
    await breakLease(direct, { breakPeriodSeconds: 0 });
  });

  test("waiting: a second withLease runs once the first one is done", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "lock");
    const order: string[] = [];
    const first = withLease(blob, async () => {
      order.push("first:start");
      await delay(500);
      order.push("first:end");
    });
    await delay(100);
    const second = withLease(
      blob,
      async () => {
        order.push("second");
      },
      { wait: { timeoutMs: 30_000, retryDelayMs: 50 } },
    );
    await Promise.all([first, second]);
    expect(order).toEqual(["first:start", "first:end", "second"]);
  });

  test("without wait, a held lease fails at once", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "lock");
    let ran = false;
    const error = await withLease(blob, async () => {
      await withLease(blob, () => {
        ran = true;
      });
    }).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(isStorageError(error, "LeaseConflict")).toBe(true);
    expect(isLeaseLost(error)).toBe(false);
    expect((await getLeaseState(blob)).state).toBe("available");
  });

  test("container targets work too", async ({ azurite, container }) => {
    const client = await containerOf(azurite, container.name);
    const state = await withLease(client, () => getLeaseState(client));
    expect(state.state).toBe("leased");
    expect((await getLeaseState(client)).state).toBe("available");
  });
});
