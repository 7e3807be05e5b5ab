// The errors only an upload gives: a blob that exists under overwrite: false, an abort after the
// final request had been sent (the blob may exist), and a commit whose staged blocks are gone.
import { type ErrorContext, StorageError } from "@blobkit/auth";
import { describeOperation, withMessage } from "@blobkit/auth/kit";

/** The `AlreadyExists` error of `overwrite: false`, from the service's answer or our own check. */
export function alreadyExists(context: ErrorContext, cause?: StorageError): StorageError {
  const message = `${describeOperation(context)} failed: the blob already exists and overwrite is false. Leave overwrite out (or true) to replace it.`;
  return cause
    ? withMessage(cause, message, "AlreadyExists")
    : new StorageError("AlreadyExists", message, { operation: context.operation });
}

/**
 * The caller aborted after the final request had been sent: the service may have completed it.
 * Say so, instead of a plain "cancelled" that would let the caller believe nothing was written.
 */
export function mayHaveBeenWritten(context: ErrorContext, request: string): StorageError {
  return new StorageError(
    "Aborted",
    `${describeOperation(context)} was cancelled by its AbortSignal after its final request (${request}) had been sent, so the blob may have been written anyway. Check it (getBlobProperties) before relying on either outcome.`,
    { operation: context.operation },
  );
}

/** A commit refused with InvalidBlockList: the staged blocks are gone, start over. */
export function blocksLost(context: ErrorContext, error: StorageError): StorageError {
  return withMessage(
    error,
    `${describeOperation(context)} failed: the service no longer holds the blocks this upload staged (InvalidBlockList): uncommitted blocks are dropped after 7 days, when another upload commits the blob, or when an emulator restarts. Upload the blob again from the start.`,
  );
}
