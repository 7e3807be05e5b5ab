// Delete Container where "not found" is a value, not an error.
import type { ContainerClient } from "@azure/storage-blob";
import { isStorageError } from "@blobkit/auth";
import { type DeleteContainerOptions, deleteContainer } from "./deleteContainer.js";

/** What {@link deleteContainerIfExists} returns. */
export interface DeleteContainerIfExistsResult {
  /** `true` if this call deleted the container; `false` if it did not exist or was already being deleted. */
  deleted: boolean;
}

/**
 * Deletes a container if it exists, and tells whether it did. A container that does not exist,
 * or that Azure is already deleting (409 `ContainerBeingDeleted`), gives `deleted: false`; every
 * other failure (permissions, a lease, the network) is still thrown as a
 * {@link @blobkit/auth!StorageError}. Use it in clean-up code; use {@link deleteContainer} when
 * the container must have existed.
 *
 * @see [Delete and restore containers: Delete it if it exists](../../../apps/docs/guides/delete-restore-containers.md#delete-it-if-it-exists)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { deleteContainerIfExists } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * const { deleted } = await deleteContainerIfExists(service.getContainerClient("scratch"));
 * ```
 */
export async function deleteContainerIfExists(
  container: ContainerClient,
  options?: DeleteContainerOptions,
): Promise<DeleteContainerIfExistsResult> {
  try {
    await deleteContainer(container, options);
    return { deleted: true };
  } catch (error) {
    if (
      isStorageError(error, "NotFound") ||
      (isStorageError(error, "Conflict") && error.serviceCode === "ContainerBeingDeleted")
    ) {
      return { deleted: false };
    }
    throw error;
  }
}
