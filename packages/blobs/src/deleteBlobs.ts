// Delete many blobs of a container with the Blob Batch API, with a result per blob.
import type { ContainerClient } from "@azure/storage-blob";
import type { BlobBatchOptions, BlobBatchResult, BlobReference } from "./BlobBatchResult.js";
import { runBatches } from "./internal/batch.js";
import { deleteOptions } from "./internal/delete.js";
import type { DeleteSnapshots } from "./types.js";

/** Options of {@link deleteBlobs}. */
export interface DeleteBlobsOptions extends BlobBatchOptions {
  /** Delete each blob with its snapshots (`"include"`), or only the snapshots (`"only"`). */
  deleteSnapshots?: DeleteSnapshots;
  /**
   * Count blobs that do not exist (404 `BlobNotFound`) as deleted, like {@link deleteBlobIfExists}.
   * @defaultValue false
   */
  ignoreMissing?: boolean;
}

/**
 * Deletes many blobs of one container with the Blob Batch API: 256 deletions per request, a few
 * requests in flight at a time (`concurrency`), and a result per blob in input order, so one
 * failure does not hide the others. Accepts names, references to snapshots or versions, or the
 * items of {@link listBlobs} (also as an async iterable, consumed one batch at a time). Throws only
 * for invalid input and cancellation; check `failed` and each result's `error`.
 *
 * @see [Delete and restore blobs: Delete many blobs](../../../apps/docs/guides/delete-restore-blobs.md#delete-many-blobs)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { deleteBlobs, listBlobs } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * const result = await deleteBlobs(container, listBlobs(container, { prefix: "tmp/" }), {
 *   deleteSnapshots: "include",
 * });
 * console.log(`${result.succeeded} deleted, ${result.failed} failed`);
 * ```
 */
export async function deleteBlobs(
  container: ContainerClient,
  blobs: Iterable<BlobReference> | AsyncIterable<BlobReference>,
  options: DeleteBlobsOptions = {},
): Promise<BlobBatchResult> {
  const { deleteSnapshots, ignoreMissing = false } = options;
  const sdk = deleteOptions(deleteSnapshots ? { deleteSnapshots } : {});
  return runBatches(
    container,
    blobs,
    {
      operation: "delete blob",
      access: "delete",
      add: (batch, client) => batch.deleteBlob(client, sdk),
      acceptFailure: (error) => ignoreMissing && error.serviceCode === "BlobNotFound",
    },
    options,
  );
}
