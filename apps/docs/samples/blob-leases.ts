/**
 * Create and manage blob leases: acquire, write with the lease id, renew, change, release and
 * break a lease, wait for a lease someone else holds, and read the lease state.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/blob-leases.test.ts`.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { BlockBlobClient } from "@azure/storage-blob";
// #region imports
import { connect, isStorageError, toStorageError } from "@blobkit/auth";
import { acquireLease, breakLease, getLeaseState, type Lease } from "@blobkit/leases";
// #endregion imports
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Create and manage blob leases", order: 40 };

// #region acquire
/** Take a 30-second lease: until it ends, only requests with its id may write or delete the blob. */
export async function lockBlob(blob: BlockBlobClient): Promise<Lease> {
  const lease = await acquireLease(blob, { durationSeconds: 30 }); // 15-60 s, or "infinite"
  console.log(`leased with id ${lease.leaseId}`);
  return lease;
}
// #endregion acquire

// #region write
/** Every write to a leased blob passes the lease id. */
export async function writeUnderLease(blob: BlockBlobClient, lease: Lease, text: string) {
  await blob.upload(text, Buffer.byteLength(text), {
    conditions: { leaseId: lease.leaseId },
  });
}
// #endregion write

// #region refused
/** Without the lease id the service refuses the write (412 LeaseIdMissing). */
export async function writeWithoutLease(blob: BlockBlobClient, text: string) {
  try {
    await blob.upload(text, Buffer.byteLength(text));
    return "written";
  } catch (error) {
    const storageError = toStorageError(error, { operation: "upload blob", client: blob });
    if (storageError.code !== "LeaseConflict") throw storageError;
    console.log(storageError.serviceCode); // "LeaseIdMissing"
    return storageError.serviceCode;
  }
}
// #endregion refused

// #region renew
/** A fixed lease ends unless renewed; renewing restarts its full duration. */
export async function keepWorking(lease: Lease) {
  await lease.renew();
}
// #endregion renew

// #region change
/** Hand the lease over to another process: it gets the new id, the old one stops working. */
export async function handOver(lease: Lease): Promise<string> {
  const newLeaseId = randomUUID();
  await lease.change(newLeaseId);
  return lease.leaseId; // === newLeaseId
}
// #endregion change

// #region release
/** Release when done, so others need not wait for the lease to expire. */
export async function unlockBlob(lease: Lease) {
  await lease.release();
}
// #endregion release

// #region using
/** `await using` releases the lease when the block ends, even if it throws. */
export async function editExclusively(blob: BlockBlobClient, text: string) {
  await using lease = await acquireLease(blob, { durationSeconds: 15 });
  await blob.upload(text, Buffer.byteLength(text), { conditions: { leaseId: lease.leaseId } });
}
// #endregion using

// #region wait
/** Wait up to 10 s for another client's lease to be released, expire or be broken. */
export async function lockWhenFree(blob: BlockBlobClient): Promise<Lease> {
  return acquireLease(blob, { durationSeconds: 15, wait: { timeoutMs: 10_000 } });
}
// #endregion wait

// #region held
/** Without `wait`, a lease someone else holds fails at once with code "LeaseConflict". */
export async function tryLock(blob: BlockBlobClient): Promise<Lease | undefined> {
  try {
    return await acquireLease(blob, { durationSeconds: 15 });
  } catch (error) {
    if (isStorageError(error, "LeaseConflict")) return undefined; // someone else has it
    throw error;
  }
}
// #endregion held

// #region break
/** Take a blob back from a process that crashed holding an infinite lease. */
export async function breakStaleLease(blob: BlockBlobClient) {
  const { remainingSeconds } = await breakLease(blob, { breakPeriodSeconds: 0 });
  return remainingSeconds; // 0: broken now, anyone can acquire a new lease
}
// #endregion break

// #region state
/** Is the blob leased, and for how long? */
export async function describeLease(blob: BlockBlobClient) {
  const { state, status, duration } = await getLeaseState(blob);
  console.log(`${state} (${status}${duration ? `, ${duration}` : ""})`);
  return { state, status, duration };
}
// #endregion state

/** Runs every lease operation against the emulator, in a container of its own. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const container = service.getContainerClient(`blob-leases-${randomUUID().slice(0, 8)}`);
  await container.create();
  try {
    const blob = container.getBlockBlobClient("report.csv");
    await blob.upload("draft", 5);

    const lease = await lockBlob(blob);
    const leased = await describeLease(blob);
    await writeUnderLease(blob, lease, "v1");
    const refused = await writeWithoutLease(blob, "intruder");
    const whileLeased = await tryLock(blob);
    await keepWorking(lease);
    const oldLeaseId = lease.leaseId;
    const newLeaseId = await handOver(lease);
    await writeUnderLease(blob, lease, "v2");
    await unlockBlob(lease);
    const released = await describeLease(blob);

    await editExclusively(blob, "v3");
    const afterUsing = await describeLease(blob);

    // Another client holds the lease for a moment: wait for it.
    const holder = await acquireLease(blob, { durationSeconds: 15 });
    const holderDone = sleep(500).then(() => holder.release());
    const waited = await lockWhenFree(blob);
    await holderDone;
    await unlockBlob(waited);

    // A holder that crashed with an infinite lease: break it, then lock the blob again.
    await acquireLease(blob, { durationSeconds: "infinite" });
    const infinite = await describeLease(blob);
    const remainingSeconds = await breakStaleLease(blob);
    const broken = await describeLease(blob);
    const next = await tryLock(blob);
    if (!next) throw new Error("the broken lease should be free to acquire");
    await writeUnderLease(blob, next, "v4");
    await unlockBlob(next);

    const content = (await blob.downloadToBuffer()).toString();
    return {
      leased,
      refused,
      whileLeased: whileLeased === undefined ? "held by someone else" : "acquired",
      changed: oldLeaseId !== newLeaseId,
      released,
      afterUsing,
      infinite,
      waited: waited.leaseId !== holder.leaseId,
      remainingSeconds,
      broken,
      content,
    };
  } finally {
    await container.delete();
  }
}
