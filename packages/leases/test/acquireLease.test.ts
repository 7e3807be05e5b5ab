// acquireLease and the Lease it returns (renew, change, release, await using), waiting for a held
// lease, and container leases, against the embedded Azurite; plus an acquire aborted in flight.
import { randomUUID } from "node:crypto";
import { isStorageError, type StorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  acquireLease,
  breakLease,
  changeLease,
  getLeaseState,
  releaseLease,
  renewLease,
} from "../src/index.js";
import { blobWith, containerOf, delay, failure, readText } from "./helpers.js";

describe("blob leases", () => {
  test("takes the duration in the options object, as withLease does (default 15 s)", async ({
    azurite,
    container,
  }) => {
    const client = await containerOf(azurite, container.name);
    const blob = await blobWith(client, "options.txt");
    const lease = await acquireLease(blob, { durationSeconds: 30 });
    expect(lease.durationSeconds).toBe(30);
    expect((await getLeaseState(blob)).duration).toBe("fixed");
    await lease.release();
    const infinite = await acquireLease(blob, { durationSeconds: "infinite" });
    expect((await getLeaseState(blob)).duration).toBe("infinite");
    await infinite.release();
    const byDefault = await acquireLease(blob);
    expect(byDefault.durationSeconds).toBe(15);
    await byDefault.release();
    // The positional form still works for one release (deprecated).
    const positional = await acquireLease(blob, 20, {});
    expect(positional.durationSeconds).toBe(20);
    await positional.release();
  });

  test("a Lease can be JSON.stringify-ed: id, target, duration, time; no client, no secret", async ({
    azurite,
    container,
  }) => {
    const client = await containerOf(azurite, container.name);
    const blob = await blobWith(client, "json.txt");
    const before = Date.now();
    const lease = await acquireLease(blob, { durationSeconds: 15 });
    try {
      const json = JSON.stringify(lease);
      expect(JSON.parse(json)).toEqual({
        leaseId: lease.leaseId,
        target: `blob 'json.txt' in container '${container.name}'`,
        durationSeconds: 15,
        acquiredAt: expect.any(String),
      });
      const acquiredAt = Date.parse(JSON.parse(json).acquiredAt);
      expect(acquiredAt).toBeGreaterThanOrEqual(before - 1);
      expect(acquiredAt).toBeLessThanOrEqual(Date.now());
      expect(lease.acquiredAt.getTime()).toBe(acquiredAt);
      expect(json).not.toContain(azurite.accountKey);
      expect(json).not.toContain("http");
    } finally {
      await lease.release();
    }
    const containerLease = await acquireLease(client, { durationSeconds: "infinite" });
    try {
      expect(containerLease.toJSON()).toMatchObject({
        target: `container '${container.name}'`,
        durationSeconds: "infinite",
      });
    } finally {
      await containerLease.release();
    }
  });

  test("acquire, write with the id, renew, change, release", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "a.txt", "v1");
    const lease = await acquireLease(blob, 15);
    expect(lease.leaseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lease.durationSeconds).toBe(15);
    expect(await getLeaseState(blob)).toEqual({
      state: "leased",
      status: "locked",
      duration: "fixed",
    });

    const noId = await failure(blob.upload("v2", 2));
    expect(noId.statusCode).toBe(412);
    await blob.upload("v2", 2, { conditions: { leaseId: lease.leaseId } });
    expect(await readText(blob)).toBe("v2");

    await lease.renew();
    await renewLease(blob, lease.leaseId);

    const oldId = lease.leaseId;
    const newId = randomUUID();
    await lease.change(newId);
    expect(lease.leaseId).toBe(newId);
    const stale = await failure(renewLease(blob, oldId));
    expect(isStorageError(stale, "LeaseConflict")).toBe(true);
    expect(stale.serviceCode).toBe("LeaseIdMismatchWithLeaseOperation");
    expect(stale.message).toMatch(/does not match the active lease/);

    await lease.release();
    expect((await getLeaseState(blob)).state).toBe("available");
    await blob.upload("v3", 2);
  });

  test("a held lease fails at once with LeaseConflict and a hint", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "held.txt");
    const proposedLeaseId = randomUUID();
    const lease = await acquireLease(blob, "infinite", { proposedLeaseId });
    expect(lease.leaseId).toBe(proposedLeaseId);
    expect((await getLeaseState(blob)).duration).toBe("infinite");
    const error = await failure(acquireLease(blob, 15));
    expect(isStorageError(error, "LeaseConflict")).toBe(true);
    expect(error.statusCode).toBe(409);
    expect(error.serviceCode).toBe("LeaseAlreadyPresent");
    expect(error.message).toMatch(/Acquire lease \(blob 'held.txt' .*Another client holds a lease/);
    // Acquiring again with the active id is allowed (and renews it).
    await acquireLease(blob, "infinite", { proposedLeaseId });
    await releaseLease(blob, proposedLeaseId);
  });

  test("wait: acquires once the holder releases", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "wait.txt");
    const holder = await acquireLease(blob, 15);
    const released = delay(600).then(() => holder.release());
    const lease = await acquireLease(blob, 15, {
      wait: { timeoutMs: 20_000, retryDelayMs: 50, maxRetryDelayMs: 200 },
    });
    await released;
    expect((await getLeaseState(blob)).state).toBe("leased");
    await lease.release();
  });

  test("wait: gives up after timeoutMs with LeaseConflict", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "busy.txt");
    const holder = await acquireLease(blob, 15);
    const error = await failure(
      acquireLease(blob, 15, { wait: { timeoutMs: 500, retryDelayMs: 50 } }),
    );
    expect(isStorageError(error, "LeaseConflict")).toBe(true);
    expect(error.serviceCode).toBe("LeaseAlreadyPresent");
    expect(error.tries).toBeGreaterThan(1);
    expect(error.message).toMatch(/whole wait of 500 ms.*Raise wait.timeoutMs/);
    await holder.release();
  });

  test("wait: the caller's signal stops waiting", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "abort.txt");
    const holder = await acquireLease(blob, 15);
    const error = await failure(
      acquireLease(blob, 15, {
        wait: { timeoutMs: Number.POSITIVE_INFINITY },
        signal: AbortSignal.timeout(300),
      }),
    );
    expect(isStorageError(error, "Aborted")).toBe(true);
    await holder.release();
  });

  test("await using releases the lease", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "using.txt");
    {
      await using lease = await acquireLease(blob, "infinite");
      await blob.upload("x", 1, { conditions: { leaseId: lease.leaseId } });
    }
    expect((await getLeaseState(blob)).state).toBe("available");
    {
      // Disposing a lease that is already gone is fine.
      await using lease = await acquireLease(blob, 15);
      await breakLease(blob, { breakPeriodSeconds: 0 });
      await acquireLease(blob, 15);
      expect(lease.leaseId).toBeDefined();
    }
  });

  test("a missing blob is NotFound", async ({ azurite, container }) => {
    const blob = (await containerOf(azurite, container.name)).getBlockBlobClient("missing");
    const error = await failure(acquireLease(blob, 15));
    expect(isStorageError(error, "NotFound")).toBe(true);
    expect(error.message).toMatch(/blob does not exist/);
  });
});

describe("container leases", () => {
  test("a container lease guards deletion only", async ({ azurite, container }) => {
    const client = await containerOf(azurite, container.name);
    const lease = await acquireLease(client, 20);
    expect(await getLeaseState(client)).toEqual({
      state: "leased",
      status: "locked",
      duration: "fixed",
    });
    // Blobs inside can still be written without the container's lease id.
    await blobWith(client, "inside.txt", "ok");
    const del = await failure(client.delete());
    expect(del.statusCode).toBe(412);
    await lease.renew();
    await changeLease(client, lease.leaseId, randomUUID());
    const other = await failure(acquireLease(client, 15));
    expect(isStorageError(other, "LeaseConflict")).toBe(true);
    await breakLease(client, { breakPeriodSeconds: 0 });
    expect((await getLeaseState(client)).state).toBe("broken");
    const again = await acquireLease(client, "infinite");
    await client.delete({ conditions: { leaseId: again.leaseId } });
    const gone = await failure(getLeaseState(client));
    expect(isStorageError(gone, "NotFound")).toBe(true);
  });

  test("release lets another client acquire at once", async ({ azurite, container }) => {
    const client = await containerOf(azurite, container.name);
    const first = await acquireLease(client, 60);
    await first.release();
    const second = await acquireLease(client, 15);
    expect(second.leaseId).not.toBe(first.leaseId);
    await second.release();
  });
});

// An acquire aborted while its request is in flight releases the lease it may have been granted,
// without holding up the abort when the service is slow (found by the reliability suite).
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
