import { isStorageError, type StorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { breakLease, getLeaseState, isLeaseLost, runAsLeader } from "../src/index.js";
import { containerOf, delay, readText } from "./helpers.js";

describe("runAsLeader", () => {
  test("one leader at a time; the next takes over when it steps down", async ({
    azurite,
    container,
  }) => {
    const client = await containerOf(azurite, container.name);
    // The lock blob does not exist yet: candidates create it.
    const lock = client.getBlockBlobClient("leader");
    const log: string[] = [];
    let leaders = 0;
    const candidate = (name: string) =>
      runAsLeader(
        lock,
        async (lease) => {
          leaders++;
          expect(leaders).toBe(1);
          log.push(name);
          await lock.upload(name, name.length, { conditions: { leaseId: lease.leaseId } });
          await delay(300);
          leaders--;
          return name;
        },
        { maxRetryDelayMs: 100 },
      );
    const results = await Promise.all([candidate("a"), candidate("b"), candidate("c")]);
    expect(results).toEqual(["a", "b", "c"]);
    expect([...log].sort()).toEqual(["a", "b", "c"]);
    expect(await readText(lock)).toBe(log.at(-1));
    expect((await getLeaseState(lock)).state).toBe("available");
  });

  test("a leader whose lease is broken campaigns again and is re-elected", async ({
    azurite,
    container,
  }) => {
    const client = await containerOf(azurite, container.name);
    const lock = client.getBlockBlobClient("leader");
    const lost: StorageError[] = [];
    let terms = 0;
    const result = await runAsLeader(
      lock,
      async (lease) => {
        terms++;
        if (terms === 1) {
          await breakLease(lock, { breakPeriodSeconds: 0 });
          await new Promise((resolve) => lease.signal.addEventListener("abort", resolve));
          lease.signal.throwIfAborted();
        }
        return terms;
      },
      { renewIntervalMs: 200, onLeadershipLost: (error) => lost.push(error) },
    );
    expect(result).toBe(2);
    expect(lost).toHaveLength(1);
    expect(isLeaseLost(lost[0])).toBe(true);
  });

  test("the caller's signal stops a candidate", async ({ azurite, container }) => {
    const client = await containerOf(azurite, container.name);
    const lock = client.getBlockBlobClient("leader");
    const stop = new AbortController();
    const leader = runAsLeader(
      lock,
      async (lease) => {
        await new Promise((resolve) => lease.signal.addEventListener("abort", resolve));
        lease.signal.throwIfAborted();
      },
      { signal: stop.signal },
    );
    await delay(300);
    const follower = runAsLeader(lock, () => "never", { signal: stop.signal });
    await delay(300);
    stop.abort();
    const [a, b] = await Promise.allSettled([leader, follower]);
    expect(a.status === "rejected" && isStorageError(a.reason, "Aborted")).toBe(true);
    expect(b.status === "rejected" && isStorageError(b.reason, "Aborted")).toBe(true);
    expect((await getLeaseState(lock)).state).toBe("available");
  });
});
