/**
 * Delete and restore blobs: delete one (with its snapshots), delete one that may be missing,
 * delete many in batches with a result per blob, and restore a soft-deleted blob, a previous
 * version or a snapshot.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/delete-restore-blobs.test.ts`,
 * which also runs the soft delete and version restores against a loopback server that answers as
 * Azure does (Azurite has neither soft delete nor versions).
 */
import type { BlobClient, ContainerClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import {
  deleteBlob,
  deleteBlobIfExists,
  deleteBlobs,
  listBlobs,
  restoreBlob,
} from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Delete and restore blobs", order: 32 };

// #region delete
/** Delete a blob that must exist, together with its snapshots. */
export async function removeReport(blob: BlobClient) {
  await deleteBlob(blob, { deleteSnapshots: "include" });
}
// #endregion delete

// #region delete-if-exists
/** Clean-up code: a blob that is already gone is fine. */
export async function removeTempFile(blob: BlobClient) {
  const { deleted } = await deleteBlobIfExists(blob);
  return deleted;
}
// #endregion delete-if-exists

// #region delete-many
/** Delete everything under a prefix in batches of 256, and report what could not be deleted. */
export async function purgePrefix(container: ContainerClient, prefix: string) {
  const result = await deleteBlobs(container, listBlobs(container, { prefix }), {
    deleteSnapshots: "include",
    ignoreMissing: true, // deleted meanwhile by someone else: fine
    onProgress: ({ loaded }) => console.log(`${loaded} blobs handled`),
  });
  for (const item of result.results) {
    if (!item.ok) console.error(`${item.name}: ${item.error?.code}: ${item.error?.message}`);
  }
  return { deleted: result.succeeded, failed: result.failed };
}
// #endregion delete-many

// #region restore
/** Undo a delete within the soft delete retention period, or say why it cannot be undone. */
export async function undoDelete(blob: BlobClient) {
  try {
    await restoreBlob(blob);
    return { restored: true };
  } catch (error) {
    // NotFound: soft delete is off, the retention period has passed, or there is no deleted blob.
    // The message says which, and what to do.
    if (isStorageError(error, "NotFound")) {
      console.error(error.message);
      return { restored: false, reason: error.message };
    }
    throw error;
  }
}
// #endregion restore

// #region restore-version
/** With versioning: bring back the latest previous version of a blob that was deleted or overwritten. */
export async function restoreLatestVersion(container: ContainerClient, name: string) {
  let latest: string | undefined;
  for await (const item of listBlobs(container, { prefix: name, include: ["versions"] })) {
    if (item.name === name && item.versionId && !item.isCurrentVersion) latest = item.versionId;
  }
  if (!latest) throw new Error(`${name} has no previous version`);
  await restoreBlob(container.getBlobClient(name), { versionId: latest });
  return latest;
}
// #endregion restore-version

// #region restore-snapshot
/** Roll a blob back to a snapshot taken earlier. */
export async function rollBack(blob: BlobClient, snapshot: string) {
  return restoreBlob(blob, { snapshot });
}
// #endregion restore-snapshot

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-delete-blobs");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  try {
    const report = container.getBlockBlobClient("reports/q1.pdf");
    await report.upload("v1", 2);
    await report.createSnapshot();
    await removeReport(report);
    const tempDeleted = [await removeTempFile(container.getBlobClient("tmp/none.bin"))];
    const names = Array.from({ length: 300 }, (_, i) => `logs/${String(i).padStart(3, "0")}.log`);
    await Promise.all(names.map((n) => container.uploadBlockBlob(n, "log", 3)));
    const purge = await purgePrefix(container, "logs/");
    const doc = container.getBlockBlobClient("doc.txt");
    await doc.upload("first draft", 11);
    const { snapshot } = await doc.createSnapshot();
    await doc.upload("a mistake", 9);
    await rollBack(doc, snapshot ?? "");
    const rolledBack = (await doc.downloadToBuffer()).toString();
    return { tempDeleted, purge, rolledBack, left: await countBlobs(container) };
  } finally {
    await deleteContainer(container);
  }
}

async function countBlobs(container: ContainerClient) {
  let count = 0;
  for await (const _ of listBlobs(container)) count++;
  return count;
}
