// How a copy names what failed and explains it: the service reads the source itself, so its
// refusals (no SAS, an archived source, an existing destination) get a message that says why.
import type { BlobClient } from "@azure/storage-blob";
import type { ErrorContext, StorageError } from "@blobkit/auth";
import { describeOperation, runOperation, withMessage } from "@blobkit/auth/kit";
import { blobResource, explainBlobError } from "../errors.js";

/** The error contexts of one copy: the copy request (on the destination) and reads of the source. */
export interface CopyContexts {
  context: ErrorContext;
  readContext: ErrorContext;
}

/** The URL of a source, safe to show: no query string. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "the source URL";
  }
}

/** Names the source and the destination for every message of a copy. */
export function copyContexts(source: BlobClient | string, destination: BlobClient): CopyContexts {
  const isUrl = typeof source === "string";
  const sourceName = isUrl ? `'${shownUrl(source)}'` : blobResource(source);
  return {
    context: {
      operation: "copy blob",
      resource: `${sourceName} to ${blobResource(destination)}`,
      client: destination,
      access: "write",
    },
    readContext: {
      operation: "read the copy source",
      resource: sourceName,
      ...(isUrl ? {} : { client: source }),
      access: "read",
    },
  };
}

/** The error of a copy whose source the service could not read (401, 403 or 404 on the source). */
export function sourceUnreadable(
  error: StorageError,
  context: ErrorContext,
  sourceStatus?: string,
): StorageError {
  const status = sourceStatus ?? String(error.statusCode ?? "");
  return withMessage(
    error,
    `${describeOperation(context)} failed: the service could not read the source (${status} ${error.serviceCode ?? ""}`.trimEnd() +
      "). A copy reads the source through its URL alone, so the source must be public or its URL must carry a SAS with read permission, even within one account. BlobKit adds a short-lived read SAS by itself only when the source client uses an account key; otherwise pass sourceAuthorization (a SAS token, or a function returning one such as a user delegation SAS). Check also that the source exists and that the SAS has not expired.",
  );
}

/** Rewrites a copy request's error when its cause is known: the source, or the destination. */
function explainCopyError(
  error: StorageError,
  context: ErrorContext,
  sourceStatus: string | undefined,
): StorageError {
  if (error.serviceCode === "CannotVerifyCopySource" || sourceStatus) {
    const status = Number(sourceStatus ?? error.statusCode);
    if (status === 401 || status === 403 || status === 404) {
      return sourceUnreadable(error, context, sourceStatus);
    }
    if (/archived/i.test(error.message)) {
      return withMessage(
        error,
        `${describeOperation(context)} failed: the source is in the Archive tier (${error.statusCode} ${error.serviceCode}). Copy it asynchronously within its account with a tier and a rehydratePriority (copyBlob(..., { mode: "async", tier: "Hot", rehydratePriority: "Standard" }) or rehydrateBlob(..., { destination })), or rehydrate it in place first.`,
      );
    }
  }
  if (error.serviceCode === "BlobAlreadyExists") {
    return withMessage(
      error,
      `${describeOperation(context)} failed: the destination already exists and overwrite is false (409 BlobAlreadyExists). Delete it first, or copy with overwrite: true.`,
    );
  }
  return explainBlobError(error, context);
}

/**
 * Runs a copy request with the kit's `runOperation` and {@link explainCopyError}. The status the
 * service met on the source (`x-ms-copy-source-status-code`) is read from the SDK's error before
 * conversion, which keeps no headers.
 */
export function runCopy<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
  let sourceStatus: string | undefined;
  return runOperation(
    context,
    async () => {
      try {
        return await fn();
      } catch (error) {
        const headers = (
          error as { response?: { headers?: { get?(n: string): string | undefined } } }
        ).response?.headers;
        sourceStatus = headers?.get?.("x-ms-copy-source-status-code");
        throw error;
      }
    },
    (error) => explainCopyError(error, context, sourceStatus),
  );
}
