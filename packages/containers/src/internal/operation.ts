// How this package calls the SDK: one ErrorContext per container operation, hints for the
// service errors users meet with containers, and an abortable wait for the retry loops.
import type { ContainerClient } from "@azure/storage-blob";
import {
  type AccessKind,
  type ErrorContext,
  isStorageError,
  StorageError,
  toStorageError,
} from "@blobkit/auth";
import { runOperation } from "@blobkit/auth/kit";

/** The error context of an operation on one container. */
export function containerContext(
  operation: string,
  container: Pick<ContainerClient, "containerName" | "url" | "credential">,
  access: AccessKind,
): ErrorContext {
  return {
    operation,
    resource: `container '${container.containerName}'`,
    client: container,
    access,
  };
}

/**
 * What to tell the user for a service error code, on top of what `toStorageError` says. Keyed by
 * the service's `x-ms-error-code`.
 */
const HINTS: Record<string, string> = {
  ContainerBeingDeleted:
    "The container is being deleted; Azure keeps its name reserved for at least 30 seconds after a delete. Try again later (createContainer waits this out unless retryWhileBeingDeleted is false).",
  PublicAccessNotPermitted:
    "The storage account disallows anonymous access (AllowBlobPublicAccess is false, the default for new accounts). Keep publicAccess 'none' and share with a SAS, or allow public access on the account.",
  LeaseIdMissing: "The container has an active lease: pass its leaseId, or break the lease first.",
  LeaseIdMismatchWithContainerOperation: "The leaseId does not match the container's active lease.",
  LeaseNotPresentWithContainerOperation:
    "A leaseId was given but the container has no active lease.",
};

/** Adds the hint for the error's service code, if there is one, keeping every other field. */
export function withHint(error: StorageError, extra?: string): StorageError {
  const hint = extra ?? (error.serviceCode ? HINTS[error.serviceCode] : undefined);
  if (!hint) return error;
  return new StorageError(error.code, `${error.message} ${hint}`, {
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    ...(error.serviceCode !== undefined ? { serviceCode: error.serviceCode } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error.operation !== undefined ? { operation: error.operation } : {}),
    ...(error.tries !== undefined ? { tries: error.tries } : {}),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  });
}

/** `runOperation` plus the container hints. */
export async function runContainerOperation<T>(
  context: ErrorContext,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await runOperation(context, fn);
  } catch (error) {
    throw isStorageError(error) ? withHint(error) : toStorageError(error, context);
  }
}

/** The `Aborted` error for an operation cancelled between requests. */
export function abortedError(operation: string, detail = ""): StorageError {
  const text = operation.charAt(0).toUpperCase() + operation.slice(1);
  return new StorageError("Aborted", `${text} was cancelled by its AbortSignal${detail}.`, {
    operation,
  });
}

/** Waits `ms`, or throws `Aborted` as soon as the signal fires. */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError(operation));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(operation));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
