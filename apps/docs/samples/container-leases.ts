/**
 * Create and manage container leases: keep a container from being deleted while a job uses it,
 * delete it with the lease id, and break a lease left behind by a crashed process.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/container-leases.test.ts`.
 */
import { randomUUID } from "node:crypto";
import type { ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect, toStorageError } from "@blobkit/auth";
import { acquireLease, breakLease, getLeaseState, type Lease, withLease } from "@blobkit/leases";
// #endregion imports
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Create and manage container leases", order: 41 };

// #region protect
/** An infinite lease: nobody can delete the container until it is released or broken. */
export async function protectContainer(container: ContainerClient): Promise<Lease> {
  return acquireLease(container, { durationSeconds: "infinite" });
}
// #endregion protect

// #region delete-refused
/** Deleting a leased container without its lease id fails with 412 LeaseIdMissing. */
export async function tryDelete(container: ContainerClient) {
  try {
    await container.delete();
    return "deleted";
  } catch (error) {
    const storageError = toStorageError(error, {
      operation: "delete container",
      client: container,
    });
    if (storageError.code !== "LeaseConflict") throw storageError;
    return storageError.serviceCode; // "LeaseIdMissing"
  }
}
// #endregion delete-refused

// #region blobs
/** A container lease does not lock its blobs: they are written as usual. */
export async function writeReport(container: ContainerClient, text: string) {
  await container.getBlockBlobClient("report.txt").upload(text, Buffer.byteLength(text));
}
// #endregion blobs

// #region delete-with-lease
/** The holder deletes the container by passing its lease id. */
export async function deleteLeased(container: ContainerClient, lease: Lease) {
  await container.delete({ conditions: { leaseId: lease.leaseId } });
}
// #endregion delete-with-lease

// #region during-job
/** Keep the container from being deleted while a job runs; released when the job ends. */
export async function runJobInContainer<T>(container: ContainerClient, job: () => Promise<T>) {
  return withLease(container, () => job(), { durationSeconds: 60 });
}
// #endregion during-job

// #region break
/** A process crashed while holding an infinite lease: break it so the container can be deleted. */
export async function deleteAbandoned(container: ContainerClient) {
  await breakLease(container, { breakPeriodSeconds: 0 });
  await container.delete();
}
// #endregion break

// #region state
/** Who may delete it? */
export async function containerLeaseState(container: ContainerClient) {
  return getLeaseState(container); // { state, status, duration }
}
// #endregion state

/** Runs the container lease examples against the emulator, with containers of their own. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const suffix = randomUUID().slice(0, 8);

  // Protect, see a delete refused, then delete as the holder.
  const archive = service.getContainerClient(`archive-${suffix}`);
  await archive.create();
  const lease = await protectContainer(archive);
  const protectedState = await containerLeaseState(archive);
  const refused = await tryDelete(archive);
  await writeReport(archive, "still writable");
  await deleteLeased(archive, lease);
  const archiveExists = await archive.exists();

  // Leased only while a job runs.
  const staging = service.getContainerClient(`staging-${suffix}`);
  await staging.create();
  const duringJob = await runJobInContainer(staging, () => containerLeaseState(staging));
  const afterJob = await containerLeaseState(staging);

  // A lease left behind by a crashed process.
  await acquireLease(staging, { durationSeconds: "infinite" });
  await deleteAbandoned(staging);
  const stagingExists = await staging.exists();

  return { protectedState, refused, archiveExists, duringJob, afterJob, stagingExists };
}
