// Blob-specific explanations on top of @blobkit/auth's error conversion: the service codes users
// meet with blobs (archived, being rehydrated, snapshots present, unreadable copy source) get a
// message that says what to do next.

import type { BlobClient } from "@azure/storage-blob";
import type { AccessKind, ErrorContext, StorageError } from "@blobkit/auth";
import { describeOperation, runOperation, withMessage } from "@blobkit/auth/kit";
import {
  conditionsSentWith,
  explainConditionFailure,
  type SentConditions,
} from "./condition-error.js";

/**
 * The error of a download whose later request found another ETag than the first response's:
 * the blob changed in between, and its versions must not be mixed.
 */
export function blobChanged(
  context: ErrorContext,
  etag: string | undefined,
  cause: StorageError,
): StorageError {
  return withMessage(
    cause,
    `${describeOperation(context)} failed: the blob changed while it was being downloaded (its ETag is no longer ${etag}). Download it again.`,
  );
}

/** `blob 'container/name'`, with the snapshot or version when the client points at one. */
export function blobResource(blob: BlobClient): string {
  let suffix = "";
  try {
    const query = new URL(blob.url).searchParams;
    const snapshot = query.get("snapshot");
    const version = query.get("versionid");
    if (snapshot) suffix = ` (snapshot ${snapshot})`;
    else if (version) suffix = ` (version ${version})`;
  } catch {
    // a client always has a valid URL; the suffix is only a nicety
  }
  return `blob '${blob.containerName}/${blob.name}'${suffix}`;
}

/**
 * The error context of an operation on one blob. Its `resource` is worked out when a message
 * needs it: parsing the blob's URL for every request would cost each upload for nothing.
 */
export function blobContext(blob: BlobClient, operation: string, access: AccessKind): ErrorContext {
  return {
    operation,
    get resource() {
      return blobResource(blob);
    },
    client: blob,
    access,
  };
}

/** Rewrites the message of blob errors whose service code has a known remedy. */
export function explainBlobError(error: StorageError, context: ErrorContext): StorageError {
  const what = describeOperation(context);
  switch (error.serviceCode) {
    case "BlobArchived":
      return withMessage(
        error,
        `${what} failed: the blob is in the Archive tier, whose data cannot be read or changed (409 BlobArchived). Rehydrate it first with rehydrateBlob() to Hot, Cool or Cold (up to 15 hours with priority "Standard", usually under 1 hour with "High"), or copy it to an online tier with copyBlob(source, destination, { tier: "Hot", mode: "async" }).`,
      );
    case "BlobBeingRehydrated":
      return withMessage(
        error,
        `${what} failed: the blob is being rehydrated from the Archive tier (409 BlobBeingRehydrated). Wait until getBlobTier() reports it online; rehydration takes up to 15 hours.`,
      );
    case "SnapshotsPresent":
      return withMessage(
        error,
        `${what} failed: the blob has snapshots (409 SnapshotsPresent). Pass deleteSnapshots: "include" to delete the blob with its snapshots, or "only" to delete just the snapshots.`,
      );
    case "BlobImmutableDueToPolicy":
    case "BlobImmutableDueToLegalHold":
      return withMessage(
        error,
        `${what} failed: the blob is protected by an immutability policy or legal hold (${error.serviceCode}); it cannot be changed or deleted until the policy expires or the hold is cleared.`,
      );
    case "NoPendingCopyOperation":
      return withMessage(
        error,
        `${what} failed: there is no pending copy to abort on the destination (NoPendingCopyOperation); it has already completed, failed or been aborted.`,
      );
    default:
      return error;
  }
}

/**
 * `runOperation` of the kit, with the blob explanations of {@link explainBlobError} and, for a
 * failed tag condition, a message that says so (which needs the request, read before conversion).
 */
export function runBlobOperation<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
  let sent: SentConditions | undefined;
  return runOperation(
    context,
    () =>
      fn().catch((error: unknown) => {
        sent = conditionsSentWith(error);
        throw error;
      }),
    (error) => explainConditionFailure(explainBlobError(error, context), context, sent),
  );
}
