// Delete one blob (with or without its snapshots), or delete it only if it exists.

import type { BlobClient } from "@azure/storage-blob";
import { isStorageError, type OperationOptions } from "@blobkit/auth";
import { deleteOptions } from "./internal/delete.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import type { BlobConditions, DeleteSnapshots } from "./types.js";

/** Options of {@link deleteBlob}. */
export interface DeleteBlobOptions extends OperationOptions, BlobConditions {
  /**
   * A blob with snapshots cannot be deleted alone: pass `"include"` to delete it with its
   * snapshots, or `"only"` to delete just the snapshots and keep the blob. Left out, deleting a blob
   * that has snapshots fails with a `Conflict` error saying so.
   */
  deleteSnapshots?: DeleteSnapshots;
}

/** The result of {@link deleteBlobIfExists}. */
export interface DeleteBlobIfExistsResult {
  /** `false` when there was no blob to delete. */
  deleted: boolean;
}

/**
 * Deletes a blob, or a snapshot or version of it when given such a client
 * (`blob.withSnapshot(...)`, `blob.withVersion(...)`). With soft delete on, the blob can be
 * restored with {@link restoreBlob} during the retention period. Fails with `NotFound` when the
 * blob does not exist; use {@link deleteBlobIfExists} to treat that as done.
 *
 * @see [Delete and restore blobs: Delete a blob](../../../apps/docs/guides/delete-restore-blobs.md#delete-a-blob)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { deleteBlob } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * await deleteBlob(container.getBlobClient("old.csv"), { deleteSnapshots: "include" });
 * ```
 */
export async function deleteBlob(blob: BlobClient, options: DeleteBlobOptions = {}): Promise<void> {
  const sdk = deleteOptions(options);
  await runBlobOperation(blobContext(blob, "delete blob", "delete"), () => blob.delete(sdk));
}

/**
 * Deletes a blob if it exists, and says whether it did. Only "the blob does not exist" is turned
 * into `{ deleted: false }`; every other failure (a missing container, a permission, a lease)
 * still throws.
 *
 * @see [Delete and restore blobs: Delete it if it exists](../../../apps/docs/guides/delete-restore-blobs.md#delete-it-if-it-exists)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { deleteBlobIfExists } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * const { deleted } = await deleteBlobIfExists(container.getBlobClient("tmp/upload.part"));
 * ```
 */
export async function deleteBlobIfExists(
  blob: BlobClient,
  options: DeleteBlobOptions = {},
): Promise<DeleteBlobIfExistsResult> {
  try {
    await deleteBlob(blob, options);
    return { deleted: true };
  } catch (error) {
    if (isStorageError(error, "NotFound") && error.serviceCode === "BlobNotFound") {
      return { deleted: false };
    }
    throw error;
  }
}
