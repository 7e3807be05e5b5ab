// How BlobKit's packages call the SDK and add what they know to an error: one wrapper, one way to
// attach a hint or rewrite a message without losing the status, service code or request id.
import { type PipelineRequest, type PipelineResponse, RestError } from "@azure/core-rest-pipeline";
import type { ContainerClient } from "@azure/storage-blob";
import { StorageError, type StorageErrorCode } from "../StorageError.js";
import { toStorageError } from "../toStorageError.js";
import type { AccessKind, ErrorContext } from "../types.js";

/**
 * A copy of a {@link StorageError} with another message (and optionally another code); status,
 * service code, request id, field, operation, tries and cause are kept.
 *
 * @example
 * ```ts
 * import { StorageError } from "@blobkit/auth";
 * import { withMessage } from "@blobkit/auth/kit";
 *
 * const error = new StorageError("NotFound", "Get blob failed", { statusCode: 404 });
 * withMessage(error, "The report is not there yet.").statusCode; // 404
 * ```
 */
export function withMessage(
  error: StorageError,
  message: string,
  code: StorageErrorCode = error.code,
): StorageError {
  return new StorageError(code, message, {
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    ...(error.serviceCode !== undefined ? { serviceCode: error.serviceCode } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error.operation !== undefined ? { operation: error.operation } : {}),
    ...(error.tries !== undefined ? { tries: error.tries } : {}),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  });
}

/**
 * Appends a hint (what to do next) to an error's message; returns the error itself when there is
 * no hint.
 *
 * @example
 * ```ts
 * import { StorageError } from "@blobkit/auth";
 * import { withHint } from "@blobkit/auth/kit";
 *
 * const error = new StorageError("Conflict", "Create container failed (409 ContainerBeingDeleted).");
 * withHint(error, "Try again in 30 seconds.").message; // "... Try again in 30 seconds."
 * ```
 */
export function withHint(error: StorageError, hint: string | undefined): StorageError {
  return hint ? withMessage(error, `${error.message} ${hint}`) : error;
}

/**
 * A hint table keyed by the service's `x-ms-error-code`, as a function for {@link runOperation}.
 *
 * @example
 * ```ts
 * import { hintsByServiceCode } from "@blobkit/auth/kit";
 *
 * const explain = hintsByServiceCode({ ContainerBeingDeleted: "Try again in 30 seconds." });
 * ```
 */
export function hintsByServiceCode(
  hints: Readonly<Record<string, string>>,
): (error: StorageError) => StorageError {
  return (error) =>
    error.serviceCode && Object.hasOwn(hints, error.serviceCode)
      ? withHint(error, hints[error.serviceCode])
      : error;
}

/**
 * Runs one storage operation and converts whatever it throws with `toStorageError`, then lets
 * `explain` add what the calling package knows (a hint for a service code, a better message).
 * BlobKit's packages wrap every SDK call in it; use it in your own extensions for the same
 * messages.
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { runOperation } from "@blobkit/auth/kit";
 *
 * declare const blob: BlobClient;
 * const properties = await runOperation(
 *   { operation: "get properties", resource: `blob '${blob.name}'`, client: blob, access: "read" },
 *   () => blob.getProperties(),
 * );
 * ```
 */
export async function runOperation<T>(
  context: ErrorContext,
  fn: () => Promise<T>,
  explain?: (error: StorageError) => StorageError,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const converted = toStorageError(error, context);
    throw explain && converted !== error ? explain(converted) : converted;
  }
}

/**
 * The error context of an operation on one container.
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { containerContext } from "@blobkit/auth/kit";
 *
 * declare const container: ContainerClient;
 * const context = containerContext(container, "delete container", "delete");
 * ```
 */
export function containerContext(
  container: Pick<ContainerClient, "containerName" | "url" | "credential">,
  operation: string,
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
 * The service's refusal of a request a package sent through a client's pipeline itself, as the
 * SDK would report it: a `RestError` with the status, the `x-ms-error-code` and the message of
 * the error body. Pass it to {@link runOperation} (or `toStorageError`) like any SDK error.
 *
 * @param what - The request's name for a message when the body has none, e.g. `"List Blobs"`.
 * @param fallbackMessage - The message when the body has none (a 304 has no body).
 *
 * @example
 * ```ts
 * import { serviceErrorOf } from "@blobkit/auth/kit";
 *
 * // The request sent with `corePipelineOf(client).sendRequest(...)`, and its response.
 * declare const request: Parameters<typeof serviceErrorOf>[0];
 * declare const response: Parameters<typeof serviceErrorOf>[1];
 * if (response.status !== 200) throw serviceErrorOf(request, response, "List Blobs");
 * ```
 */
export function serviceErrorOf(
  request: PipelineRequest,
  response: PipelineResponse,
  what: string,
  fallbackMessage = "",
): RestError {
  const code = response.headers.get("x-ms-error-code");
  const message =
    /<Message>([\s\S]*?)<\/Message>/.exec(response.bodyAsText ?? "")?.[1] ?? fallbackMessage;
  return new RestError(message || `${what} failed with status ${response.status}`, {
    statusCode: response.status,
    ...(code ? { code } : {}),
    request,
    response,
  });
}
