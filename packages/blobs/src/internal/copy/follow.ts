// Follows a pending asynchronous copy on its destination until it ends, reporting progress; when
// the caller's signal fires, aborts it (Abort Copy Blob) without waiting long for the service.
import type { BlobClient, BlobGetPropertiesResponse } from "@azure/storage-blob";
import { type ErrorContext, StorageError } from "@blobkit/auth";
import { describeOperation, runOperation, sleep } from "@blobkit/auth/kit";
import { parseCopyProgress } from "../copy-progress.js";
import { runCopy } from "./errors.js";
import type { CopyOutcome, CopyPlan } from "./plan.js";

/**
 * The longest copyBlob waits for the service to confirm Abort Copy Blob once the caller's signal
 * has fired: the abort must take effect at once.
 */
const ABORT_COPY_WITHIN_MS = 500;

/** Polls the destination every `pollIntervalMs` until the copy ends; aborts it if the signal fires. */
export async function followCopy(
  destination: BlobClient,
  copyId: string | undefined,
  context: ErrorContext,
  plan: CopyPlan,
): Promise<CopyOutcome> {
  const signal = plan.signal;
  const abort = () => abortCopy(destination, copyId, context, plan.leaseId);
  for (;;) {
    try {
      await sleep(plan.pollIntervalMs, signal);
    } catch {
      return abort();
    }
    let state: BlobGetPropertiesResponse;
    try {
      state = await runCopy(context, () => destination.getProperties(plan.sdk));
    } catch (error) {
      if (signal?.aborted) return abort();
      throw error;
    }
    if (copyId && state.copyId && state.copyId !== copyId) {
      throw new StorageError(
        "Conflict",
        `${describeOperation(context)} failed: another copy (id ${state.copyId}) replaced this one on the destination.`,
        { operation: "copy blob" },
      );
    }
    const { bytesCopied, totalBytes } = parseCopyProgress(state.copyProgress);
    if (bytesCopied !== undefined) {
      plan.onProgress?.({
        loaded: bytesCopied,
        ...(totalBytes !== undefined ? { total: totalBytes } : {}),
      });
    }
    switch (state.copyStatus) {
      case "pending":
        continue;
      case "success":
        return {
          mechanism: "async",
          status: "success",
          copyId,
          etag: state.etag,
          lastModified: state.lastModified,
          versionId: state.versionId,
          bytesCopied,
        };
      default:
        throw copyEnded(state, context);
    }
  }
}

/** Aborts the pending copy, then throws the caller's `Aborted` error saying how that went. */
async function abortCopy(
  destination: BlobClient,
  copyId: string | undefined,
  context: ErrorContext,
  leaseId: string | undefined,
): Promise<never> {
  let detail = "the pending copy was aborted (abortCopyFromURL); the destination is left empty.";
  if (copyId) {
    // A slow service must not hold up the caller's abort, nor leave a request running after it.
    const deadline = AbortSignal.timeout(ABORT_COPY_WITHIN_MS);
    try {
      await runOperation({ ...context, operation: "abort copy" }, () =>
        destination.abortCopyFromURL(copyId, {
          abortSignal: deadline,
          ...(leaseId ? { conditions: { leaseId } } : {}),
        }),
      );
    } catch (error) {
      detail = deadline.aborted
        ? `the service did not confirm aborting the pending copy (abortCopyFromURL) within ${ABORT_COPY_WITHIN_MS} ms; it may still complete.`
        : `aborting the pending copy failed too (${(error as Error).message}); it may still complete.`;
    }
  }
  throw new StorageError(
    "Aborted",
    `${describeOperation(context)} was cancelled by its AbortSignal; ${detail}`,
    { operation: "copy blob" },
  );
}

/** The error of a copy that ended without success: failed, or aborted by someone else. */
function copyEnded(state: BlobGetPropertiesResponse, context: ErrorContext): StorageError {
  const reason = state.copyStatusDescription ?? "no reason given";
  const sourceFailure = /^(401|403|404)\b/.test(reason);
  return new StorageError(
    sourceFailure ? "PermissionDenied" : state.copyStatus === "aborted" ? "Aborted" : "ServerError",
    sourceFailure
      ? `${describeOperation(context)} failed: the service could not read the source (${reason.split("\n")[0]}). The source must be public or its URL must carry a read SAS that stays valid until the copy completes; see sourceAuthorization and sourceSasExpiresInMs.`
      : `${describeOperation(context)} ${state.copyStatus === "aborted" ? "was aborted" : "failed"}: ${reason.split("\n")[0]}.`,
    { operation: "copy blob" },
  );
}
