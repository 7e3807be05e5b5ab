// Restore a soft-deleted container by name: find its latest deleted version, then undelete it.
import type { BlobServiceClient } from "@azure/storage-blob";
import { isStorageError, type OperationOptions, StorageError } from "@blobkit/auth";
import {
  checkHeaderValue,
  containerContext,
  runOperation,
  throwIfAborted,
  withHint,
} from "@blobkit/auth/kit";
import { undeleteContainer } from "./internal/undelete.js";
import { checkOptions, checkService } from "./internal/validateOptions.js";
import { type ContainerListItem, listContainers } from "./listContainers.js";
import { validateContainerName } from "./rules/validateContainerName.js";

/** Options of {@link restoreContainer}. */
export interface RestoreContainerOptions extends OperationOptions {
  /**
   * The deleted version to restore, as listed by {@link listContainers} with `includeDeleted`.
   * @defaultValue the most recently deleted version of the container
   */
  version?: string;
}

/** What {@link restoreContainer} returns. */
export interface RestoreContainerResult {
  /** The restored container's name (always its original name). */
  name: string;
  /** The deleted version that was restored. */
  version: string;
  /** When that version had been deleted, if known (not when `version` was given). */
  deletedOn?: Date;
}

function later(a: ContainerListItem, b: ContainerListItem): ContainerListItem {
  const ta = a.deletedOn?.getTime() ?? 0;
  const tb = b.deletedOn?.getTime() ?? 0;
  if (ta !== tb) return ta > tb ? a : b;
  // Versions are hexadecimal timestamps of equal length: the larger one is the later delete.
  return (a.version ?? "") >= (b.version ?? "") ? a : b;
}

/**
 * Restores a soft-deleted container, with its blobs, metadata and properties, under its original
 * name. Without `version`, it lists the account's deleted containers (`include=deleted`), picks
 * the most recently deleted version of that name and undeletes it (Restore Container with the
 * `x-ms-deleted-container-name` and `x-ms-deleted-container-version` headers). It works only
 * while container soft delete is enabled on the account and the retention period (1-365 days)
 * has not passed; otherwise there is nothing to restore and it fails with a `NotFound`
 * {@link @blobkit/auth!StorageError} that says so. If a container of the same name exists again,
 * it fails with `AlreadyExists`: Azure no longer restores under a different name.
 *
 * @see [Delete and restore containers: Restore a deleted container](../../../apps/docs/guides/delete-restore-containers.md#restore-a-deleted-container)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { restoreContainer } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * const restored = await restoreContainer(service, "invoices");
 * console.log(`restored version ${restored.version}, deleted at ${restored.deletedOn?.toISOString()}`);
 * ```
 */
export async function restoreContainer(
  service: BlobServiceClient,
  name: string,
  options?: RestoreContainerOptions,
): Promise<RestoreContainerResult> {
  const operation = "restore container";
  const svc = checkService(service, operation);
  validateContainerName(name, "container name");
  const opts = checkOptions(options);
  const givenVersion = checkHeaderValue("version", opts.version);
  throwIfAborted(opts.signal, operation);
  const client = svc.getContainerClient(name);
  const context = containerContext(client, operation, "write");

  let chosen: { version: string; deletedOn?: Date };
  if (givenVersion) {
    chosen = { version: givenVersion };
  } else {
    let latest: ContainerListItem | undefined;
    let liveExists = false;
    const listing = listContainers(svc, {
      prefix: name,
      includeDeleted: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    for await (const item of listing) {
      if (item.name !== name) continue;
      if (!item.deleted) liveExists = true;
      else if (item.version) latest = latest ? later(latest, item) : item;
    }
    if (!latest?.version) {
      throw new StorageError(
        "NotFound",
        `Restore container (container '${name}') failed: no soft-deleted version of it was found. ${
          liveExists ? "A container of that name exists and is not deleted. " : ""
        }Either container soft delete is not enabled on the account (Data protection > "Enable soft delete for containers"; it only protects containers deleted after it was turned on), its retention period has passed, or it was already restored.`,
        { operation },
      );
    }
    chosen = {
      version: latest.version,
      ...(latest.deletedOn ? { deletedOn: latest.deletedOn } : {}),
    };
  }

  try {
    await runOperation(context, () =>
      undeleteContainer(svc, name, chosen.version, opts.signal, operation),
    );
  } catch (error) {
    if (isStorageError(error, "AlreadyExists") || isStorageError(error, "Conflict")) {
      throw withHint(
        error,
        error.serviceCode === "ContainerBeingDeleted"
          ? "A container of that name is being deleted; wait at least 30 seconds and try again."
          : `A container named '${name}' exists now, and Azure restores a deleted container only under its original name. Delete the existing one (the name is then blocked for about 30 seconds) or copy its data elsewhere first.`,
      );
    }
    if (isStorageError(error, "NotFound")) {
      throw withHint(
        error,
        `Deleted version '${chosen.version}' of container '${name}' is gone: the retention period passed, it was already restored, or soft delete is off. List deleted containers (listContainers with includeDeleted) to see what can be restored.`,
      );
    }
    throw error;
  }
  return { name, ...chosen };
}
