// Restore a deleted blob: undelete a soft-deleted blob, or copy a previous version or a snapshot
// over the base blob.

import type { BlobClient } from "@azure/storage-blob";
import { isStorageError, type OperationOptions, type StorageError } from "@blobkit/auth";
import {
  containerClientOf,
  describeOperation,
  invalidArgument,
  runOperation,
  sdkOptions,
  serviceClientOf,
  withMessage,
} from "@blobkit/auth/kit";
import { copyBlob } from "./copyBlob.js";
import { blobContext, blobResource, runBlobOperation } from "./internal/errors.js";
import type { SourceAuthorization } from "./types.js";

/** Options of {@link restoreBlob}. */
export interface RestoreBlobOptions extends OperationOptions {
  /** Restore this previous version (accounts with versioning): it is copied over the base blob. */
  versionId?: string;
  /** Restore this snapshot: the blob is undeleted if needed, then the snapshot is copied over it. */
  snapshot?: string;
  /** How the service may read the version or snapshot it copies; see {@link CopyBlobOptions}. */
  sourceAuthorization?: SourceAuthorization;
}

/** The result of {@link restoreBlob}. */
export interface RestoreBlobResult {
  /** What was done: `"undelete"`, or a copy of a `"version"` or `"snapshot"`. */
  restoredFrom: "undelete" | "version" | "snapshot";
  /** The base blob's ETag after the restore. */
  etag: string | undefined;
}

/** Whether blob soft delete is on, if the credential may read the service properties. */
async function softDeleteEnabled(
  blob: BlobClient,
  signal?: AbortSignal,
): Promise<{ enabled: boolean; days: number | undefined } | undefined> {
  try {
    const container = containerClientOf(blob);
    const service = container && serviceClientOf(container);
    if (!service) return undefined;
    const properties = await runOperation(
      { operation: "get blob service properties", client: service, access: "manage" },
      () => service.getProperties(signal ? { abortSignal: signal } : {}),
    );
    const policy = properties.deleteRetentionPolicy;
    return { enabled: policy?.enabled === true, days: policy?.days };
  } catch {
    // Reading the account's settings needs more rights than undelete; without them, say less.
    return undefined;
  }
}

async function undelete(blob: BlobClient, options: RestoreBlobOptions): Promise<void> {
  const context = blobContext(blob, "restore blob", "write");
  try {
    await runBlobOperation(context, () => blob.undelete(sdkOptions(options)));
  } catch (error) {
    if (!isStorageError(error, "NotFound")) throw error;
    const softDelete = await softDeleteEnabled(blob, options.signal);
    const why =
      softDelete === undefined
        ? "it was never deleted, blob soft delete was off when it was deleted, or its retention period has passed. Soft delete is an account setting (Data protection > Enable soft delete for blobs); it only protects blobs deleted while it is on"
        : softDelete.enabled
          ? `it was never deleted, or was deleted more than ${softDelete.days ?? "the retention"} days ago (the soft delete retention period)`
          : "blob soft delete is off on this account, so deleted blobs are gone for good. Turn it on (Data protection > Enable soft delete for blobs) to be able to restore blobs deleted from then on";
    throw withMessage(
      error,
      `${describeOperation(context)} failed: there is no soft-deleted blob to restore: ${why}.`,
    );
  }
}

/**
 * Restores a deleted or overwritten blob. Without options it undeletes a soft-deleted blob (and
 * its soft-deleted snapshots); that needs blob soft delete on the account, and on accounts with
 * versioning it restores versions but no current blob, so pass `versionId` there. With
 * `versionId`, copies that previous version over the base blob; with `snapshot`, undeletes the blob
 * if needed and copies the snapshot over it. Errors say when soft delete or versioning is off.
 *
 * @see [Delete and restore blobs: Restore a soft-deleted blob](../../../apps/docs/guides/delete-restore-blobs.md#restore-a-soft-deleted-blob)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { deleteBlob, restoreBlob } from "@blobkit/blobs";
 *
 * declare const blob: BlobClient;
 * await deleteBlob(blob);
 * await restoreBlob(blob); // soft delete on: the blob is back
 * await restoreBlob(blob, { versionId: "2024-05-01T10:00:00.0000000Z" }); // versioning on
 * ```
 */
export async function restoreBlob(
  blob: BlobClient,
  options: RestoreBlobOptions = {},
): Promise<RestoreBlobResult> {
  const { versionId, snapshot } = options;
  if (versionId !== undefined && snapshot !== undefined) {
    throw invalidArgument("options", "give versionId or snapshot, not both");
  }
  for (const [field, value] of [
    ["versionId", versionId],
    ["snapshot", snapshot],
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      throw invalidArgument(field, "must be a non-empty string, as listBlobs returns it");
    }
  }
  const copyOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sourceAuthorization ? { sourceAuthorization: options.sourceAuthorization } : {}),
  };

  if (versionId !== undefined) {
    const version = blob.withVersion(versionId);
    try {
      const result = await copyBlob(version, blob, copyOptions);
      return { restoredFrom: "version", etag: result.etag };
    } catch (error) {
      throw explainMissing(error, version, "version", versionId);
    }
  }

  if (snapshot !== undefined) {
    const base = await exists(blob, options);
    if (!base) await undelete(blob, options);
    const source = blob.withSnapshot(snapshot);
    try {
      const result = await copyBlob(source, blob, copyOptions);
      return { restoredFrom: "snapshot", etag: result.etag };
    } catch (error) {
      throw explainMissing(error, source, "snapshot", snapshot);
    }
  }

  await undelete(blob, options);
  const context = blobContext(blob, "restore blob", "write");
  try {
    const properties = await runBlobOperation(context, () =>
      blob.getProperties(sdkOptions(options)),
    );
    return { restoredFrom: "undelete", etag: properties.etag };
  } catch (error) {
    if (!isStorageError(error, "NotFound")) throw error;
    throw withMessage(
      error,
      `${describeOperation(context)} found no current blob after undelete: the account has blob versioning, where undelete restores previous versions but not the current blob. Restore one with restoreBlob(blob, { versionId }); list them with listBlobs(container, { prefix: name, include: ["versions", "deleted"] }).`,
    );
  }
}

async function exists(blob: BlobClient, options: OperationOptions): Promise<boolean> {
  return runOperation(blobContext(blob, "check blob", "read"), () =>
    blob.exists(sdkOptions(options)),
  );
}

function explainMissing(
  error: unknown,
  source: BlobClient,
  kind: "version" | "snapshot",
  id: string,
): unknown {
  const storageError = error as StorageError;
  if (
    !isStorageError(error, "NotFound", "BadRequest") ||
    !storageError.message.includes(blobResource(source))
  ) {
    return error;
  }
  const hint =
    kind === "version"
      ? 'Versions exist only on accounts with blob versioning enabled (Data protection > Enable versioning for blobs), and only for changes made while it was on. List them with listBlobs(container, { prefix: name, include: ["versions"] }).'
      : 'List snapshots with listBlobs(container, { prefix: name, include: ["snapshots", "deleted"] }).';
  return withMessage(
    storageError,
    `Restore blob (${blobResource(source).replace(/ \(.*\)$/, "")}) failed: ${kind} ${id} does not exist (${storageError.serviceCode ?? storageError.statusCode}). ${hint}`,
  );
}
