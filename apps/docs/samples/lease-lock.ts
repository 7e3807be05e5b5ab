/**
 * Use a blob lease as a distributed lock: increment a shared counter from many workers without
 * losing an update, stop work the moment the lock is lost, and elect a leader.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/lease-lock.test.ts`.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { BlockBlobClient } from "@azure/storage-blob";
// #region imports
import { connect } from "@blobkit/auth";
import { breakLease, isLeaseLost, runAsLeader, withLease } from "@blobkit/leases";
// #endregion imports
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Use a blob lease as a distributed lock", order: 42 };

// #region increment
/** Read, add one, write: under the lease, no other worker can interleave. */
export async function incrementCounter(counter: BlockBlobClient): Promise<number> {
  return withLease(
    counter,
    async (lease) => {
      const current = Number(
        (await counter.downloadToBuffer(0, undefined, { abortSignal: lease.signal })).toString(),
      );
      const next = String(current + 1);
      await counter.upload(next, next.length, {
        conditions: { leaseId: lease.leaseId }, // refused (412) if the lease was lost
        abortSignal: lease.signal,
      });
      return current + 1;
    },
    { durationSeconds: 15, wait: { timeoutMs: 30_000, maxRetryDelayMs: 100 } },
  );
}
// #endregion increment

// #region workers
/** Many workers, in this process or on other machines, increment the same counter. */
export async function runWorkers(counter: BlockBlobClient, workers: number, increments: number) {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = 0; i < increments; i++) await incrementCounter(counter);
    }),
  );
}
// #endregion workers

// #region stop-on-loss
/** A long job that records its progress under the lease, and stops the moment it is lost. */
export async function processItems(
  progress: BlockBlobClient,
  items: number,
  renewIntervalMs?: number,
) {
  let completed = 0;
  try {
    await withLease(
      progress,
      async (lease) => {
        for (let item = 1; item <= items; item++) {
          await sleep(100, undefined, { signal: lease.signal }); // the work; aborted on loss
          await progress.upload(String(item), String(item).length, {
            conditions: { leaseId: lease.leaseId },
            abortSignal: lease.signal,
          });
          completed = item;
        }
      },
      { durationSeconds: 15, ...(renewIntervalMs ? { renewIntervalMs } : {}) },
    );
    return { completed, lost: false };
  } catch (error) {
    if (!isLeaseLost(error)) throw error;
    console.warn(`Stopped after ${completed} items: ${(error as Error).message}`);
    return { completed, lost: true };
  }
}
// #endregion stop-on-loss

// #region leader
/** Leader election: one candidate at a time runs the scheduled work; the others stand by. */
export async function runScheduler(lock: BlockBlobClient, name: string, signal?: AbortSignal) {
  return runAsLeader(
    lock,
    async (lease) => {
      console.log(`${name} is the leader`);
      // Only the leader's writes carry the right lease id.
      await lock.upload(name, name.length, {
        conditions: { leaseId: lease.leaseId },
        abortSignal: lease.signal,
      });
      await sleep(200, undefined, { signal: lease.signal }); // the leader's work
      return name; // stepping down releases the lease: another candidate takes over at once
    },
    {
      durationSeconds: 15,
      maxRetryDelayMs: 500,
      onLeadershipLost: (error) => console.warn(`${name} lost leadership: ${error.message}`),
      ...(signal ? { signal } : {}),
    },
  );
}
// #endregion leader

/** Runs the lock examples against the emulator, in a container of its own. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const container = service.getContainerClient(`lease-lock-${randomUUID().slice(0, 8)}`);
  await container.create();
  try {
    const counter = container.getBlockBlobClient("counter");
    await counter.upload("0", 1);
    await runWorkers(counter, 4, 10);
    const count = Number((await counter.downloadToBuffer()).toString());

    // Someone breaks the lease while the job runs: the job notices at its next write or renewal.
    const progress = container.getBlockBlobClient("progress");
    await progress.upload("0", 1);
    const intruder = sleep(300).then(() => breakLease(progress, { breakPeriodSeconds: 0 }));
    const job = await processItems(progress, 50, 1_000);
    await intruder;
    const recorded = Number((await progress.downloadToBuffer()).toString());

    // Two candidates; the lock blob is created by the first one.
    const lock = container.getBlockBlobClient("scheduler-leader");
    const leaders = await Promise.all([runScheduler(lock, "alpha"), runScheduler(lock, "beta")]);

    return { count, job, recorded, leaders };
  } finally {
    await container.delete();
  }
}
