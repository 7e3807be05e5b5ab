// The one error type of BlobKit: every failure, from input validation to the service, is a StorageError.

/**
 * What went wrong, as a closed set you can `switch` on. The service's own error code, when there
 * is one, is in {@link StorageError.serviceCode}.
 */
export type StorageErrorCode =
  /** BlobKit rejected the input before sending any request. */
  | "InvalidArgument"
  /** The service rejected the request as malformed (HTTP 400). */
  | "BadRequest"
  /** The credential was not accepted: wrong key, expired or altered SAS, invalid token. */
  | "AuthenticationFailed"
  /** The credential is valid but lacks the role or SAS permission for this operation (HTTP 403). */
  | "PermissionDenied"
  /** The container, blob or other resource does not exist (HTTP 404). */
  | "NotFound"
  /** The resource already exists (HTTP 409). */
  | "AlreadyExists"
  /** The resource is in a state that forbids the operation, e.g. being deleted (HTTP 409). */
  | "Conflict"
  /** A lease is missing, held by someone else, or does not match (HTTP 409/412). */
  | "LeaseConflict"
  /** An `ifMatch`/`ifNoneMatch`/tag condition did not hold (HTTP 412 or 304). */
  | "PreconditionFailed"
  /** The requested byte range lies outside the blob (HTTP 416). */
  | "RangeNotSatisfiable"
  /** The service kept asking to slow down (HTTP 429/503) after every retry. */
  | "Throttled"
  /** The service failed (HTTP 5xx) after every retry. */
  | "ServerError"
  /** The service (or emulator) does not implement this operation or feature (HTTP 501). */
  | "NotSupported"
  /** No answer within the per-try timeout, on every try. */
  | "Timeout"
  /** The endpoint could not be reached: refused, reset, DNS or TLS failure, after every retry. */
  | "NetworkError"
  /**
   * A local file or folder could not be read or written: full disk, no permission, read-only
   * file system, name too long, missing folder. The message names the path and the cause. This
   * is not a network problem: retrying the same request does not help until the cause is fixed.
   */
  | "FileSystemError"
  /**
   * The bytes received do not match the checksum stored with the blob (its `Content-MD5`): they
   * were corrupted on the way or the stored checksum is wrong. Nothing was kept under the final
   * name.
   */
  | "ChecksumMismatch"
  /** The source you gave (a readable stream) failed while being read; see {@link StorageError.cause}. */
  | "SourceError"
  /**
   * The destination you gave (a writable stream) failed while being written; see
   * {@link StorageError.cause}.
   */
  | "DestinationError"
  /** The caller's `AbortSignal` cancelled the operation. */
  | "Aborted"
  /** Anything else; see {@link StorageError.cause}. */
  | "Unknown";

/** Details for constructing a {@link StorageError}. */
export interface StorageErrorOptions {
  /** HTTP status, when the service answered. */
  statusCode?: number;
  /** The service's `x-ms-error-code`, e.g. `"ContainerBeingDeleted"`. */
  serviceCode?: string;
  /** The service's `x-ms-request-id`, to quote to Azure support. */
  requestId?: string;
  /** For `InvalidArgument`: the option or argument that is wrong, e.g. `"metadata.Content-Type"`. */
  field?: string;
  /** What BlobKit was doing, e.g. `"create container"`. */
  operation?: string;
  /** How many tries were made before giving up. */
  tries?: number;
  /** The underlying error, already stripped of secrets. */
  cause?: unknown;
}

/**
 * The error every BlobKit function throws. Its message says what happened and what to do; it
 * never contains an account key, a SAS signature or a token.
 *
 * @see [Get started: Errors you will meet](../../../apps/docs/guides/get-started.md#errors-you-will-meet)
 *
 * @example
 * ```ts
 * import { isStorageError } from "@blobkit/auth";
 * import { createContainer } from "@blobkit/containers";
 *
 * try {
 *   await createContainer(service, "reports");
 * } catch (error) {
 *   if (isStorageError(error) && error.code === "AlreadyExists") {
 *     // fine: someone else created it
 *   } else {
 *     throw error;
 *   }
 * }
 * ```
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  /** What went wrong; a closed set. */
  readonly code: StorageErrorCode;
  /** HTTP status, when the service answered. */
  readonly statusCode: number | undefined;
  /** The service's `x-ms-error-code`, e.g. `"ContainerBeingDeleted"`. */
  readonly serviceCode: string | undefined;
  /** The service's request id (`x-ms-request-id`). */
  readonly requestId: string | undefined;
  /** For `InvalidArgument`: which option or argument is wrong. */
  readonly field: string | undefined;
  /** What BlobKit was doing when it failed. */
  readonly operation: string | undefined;
  /** How many tries were made. */
  readonly tries: number | undefined;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = options.statusCode;
    this.serviceCode = options.serviceCode;
    this.requestId = options.requestId;
    this.field = options.field;
    this.operation = options.operation;
    this.tries = options.tries;
  }

  /** A plain object for structured logs; contains no secrets. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      statusCode: this.statusCode,
      serviceCode: this.serviceCode,
      requestId: this.requestId,
      field: this.field,
      operation: this.operation,
      tries: this.tries,
    };
  }
}

/**
 * Tells whether a value is a {@link StorageError}, optionally with one of the given codes. Works
 * across duplicate copies of the package.
 *
 * @see [Get started: Errors you will meet](../../../apps/docs/guides/get-started.md#errors-you-will-meet)
 *
 * @example
 * ```ts
 * import { isStorageError } from "@blobkit/auth";
 *
 * const properties = await blob.getProperties().catch((error: unknown) => {
 *   if (isStorageError(error, "NotFound")) return undefined;
 *   throw error;
 * });
 * ```
 */
export function isStorageError(
  value: unknown,
  ...codes: StorageErrorCode[]
): value is StorageError {
  const isError =
    value instanceof StorageError ||
    (value instanceof Error &&
      value.name === "StorageError" &&
      typeof (value as { code?: unknown }).code === "string");
  return isError && (codes.length === 0 || codes.includes((value as StorageError).code));
}

/**
 * Creates the `InvalidArgument` error that validators throw before any request is sent.
 *
 * @example
 * ```ts
 * import { invalidArgument } from "@blobkit/auth/kit";
 *
 * const error = invalidArgument("name", "must be 3-63 characters long, got 2");
 * error.field; // "name"
 * ```
 */
export function invalidArgument(field: string, problem: string): StorageError {
  return new StorageError("InvalidArgument", `Invalid ${field}: ${problem}`, { field });
}
