/**
 * Delete and restore containers: delete one, delete one that may be missing, delete every
 * container with a prefix and report each result, and restore a soft-deleted container.
 *
 * Run against the embedded emulator by `pnpm start`; tested by
 * `test/delete-restore-containers.test.ts`, which also runs the restore against a loopback server
 * that answers as Azure does (Azurite has no container soft delete).
 */
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import {
  createContainer,
  deleteContainer,
  deleteContainerIfExists,
  deleteContainersByPrefix,
  restoreContainer,
} from "@blobkit/containers";
// #endregion imports
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Delete and restore containers", order: 12 };

// #region delete
/** Delete a container that must exist: a missing one is a NotFound error. */
export async function deleteReports(service: BlobServiceClient, name: string) {
  await deleteContainer(service.getContainerClient(name));
}
// #endregion delete

// #region delete-if-exists
/** Clean-up code: a container that is already gone is fine. */
export async function cleanUp(service: BlobServiceClient, name: string) {
  const { deleted } = await deleteContainerIfExists(service.getContainerClient(name));
  return deleted;
}
// #endregion delete-if-exists

// #region delete-prefix
/** Delete the containers of old CI runs, 8 at a time, and report the ones that could not go. */
export async function deleteCiContainers(service: BlobServiceClient, prefix: string) {
  const { deleted, failed, results } = await deleteContainersByPrefix(service, prefix, {
    concurrency: 8,
    onProgress: ({ loaded }) => console.log(`${loaded} containers handled`),
  });
  for (const result of results) {
    if (result.status === "failed") {
      console.error(`${result.name}: ${result.error?.code}: ${result.error?.message}`);
    }
  }
  return {
    deleted,
    failed,
    leftOver: results.filter((r) => r.status === "failed").map((r) => r.name),
  };
}
// #endregion delete-prefix

// #region restore
/**
 * Bring back a container deleted by mistake, within the soft delete retention period. If there
 * is nothing to restore, say why instead of failing with a stack trace.
 */
export async function undoDelete(service: BlobServiceClient, name: string) {
  try {
    const restored = await restoreContainer(service, name);
    console.log(`Restored ${name} (deleted ${restored.deletedOn?.toISOString() ?? "earlier"})`);
    return { restored: true, version: restored.version };
  } catch (error) {
    // NotFound: soft delete is off, the retention period has passed, or it was never deleted.
    // AlreadyExists: a new container took the name; Azure restores only under the original name.
    if (isStorageError(error, "NotFound", "AlreadyExists")) {
      console.error(error.message);
      return { restored: false, reason: error.code };
    }
    throw error;
  }
}
// #endregion restore

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const reports = uniqueContainerName("guide-delete");
  const prefix = `${uniqueContainerName("guide-ci")}-`;
  await createContainer(service, reports);
  await deleteReports(service, reports);
  const cleanedExisting = await cleanUp(service, reports);
  for (let run = 1; run <= 5; run++) await createContainer(service, `${prefix}run-${run}`);
  // One container is leased (for example by a job still running): it cannot be deleted.
  const busy = service.getContainerClient(`${prefix}run-3`);
  const lease = await busy.getBlobLeaseClient().acquireLease(-1);
  try {
    const ci = await deleteCiContainers(service, prefix);
    return { cleanedExisting, ci };
  } finally {
    await deleteContainer(busy, { leaseId: lease.leaseId ?? "" });
  }
}
