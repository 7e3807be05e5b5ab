// Delete Container: fails loudly if the container does not exist.
import type { ContainerClient } from "@azure/storage-blob";
import { isStorageError, type OperationOptions } from "@blobkit/auth";
import {
  checkHeaderValue,
  containerContext,
  runOperation,
  sdkOptions,
  withHint,
} from "@blobkit/auth/kit";
import { explainContainerError } from "./internal/errors.js";
import { startContainerOperation } from "./internal/validateOptions.js";

/** Options of {@link deleteContainer} and {@link deleteContainerIfExists}. */
export interface DeleteContainerOptions extends OperationOptions {
  /**
   * The container's active lease, if it has one: a leased container can only be deleted with its
   * lease id (otherwise 412 `LeaseIdMissing`, a `LeaseConflict` error).
   */
  leaseId?: string;
}

/**
 * Deletes a container and every blob in it. Azure marks it for deletion at once and removes it in
 * the background; for at least 30 seconds the name cannot be used again (409
 * `ContainerBeingDeleted`, which {@link createContainer} waits out). With container soft delete
 * on, {@link restoreContainer} brings it back within the retention period. Fails with `NotFound`
 * if it does not exist; use {@link deleteContainerIfExists} when that is fine.
 *
 * @see [Delete and restore containers: Delete a container](../../../apps/docs/guides/delete-restore-containers.md#delete-a-container)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { deleteContainer } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * await deleteContainer(service.getContainerClient("reports-2023"));
 * ```
 */
export async function deleteContainer(
  container: ContainerClient,
  options?: DeleteContainerOptions,
): Promise<void> {
  const operation = "delete container";
  const { container: client, options: opts } = startContainerOperation(
    container,
    options,
    operation,
  );
  checkHeaderValue("leaseId", opts.leaseId);
  try {
    await runOperation(
      containerContext(client, operation, "delete"),
      () =>
        client.delete({
          ...sdkOptions(opts),
          ...(opts.leaseId ? { conditions: { leaseId: opts.leaseId } } : {}),
        }),
      explainContainerError,
    );
  } catch (error) {
    if (isStorageError(error, "NotFound")) {
      throw withHint(error, "Use deleteContainerIfExists to treat a missing container as success.");
    }
    throw error;
  }
}
