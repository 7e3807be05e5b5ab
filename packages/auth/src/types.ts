// The types every BlobKit package shares: options every operation accepts, and what error
// conversion needs to know about the operation and its client.

/**
 * Options every BlobKit operation accepts. Operations that move bytes or walk many items extend it
 * with {@link ProgressOptions}.
 */
export interface OperationOptions {
  /** Cancels the operation; it then fails with a `StorageError` whose code is `"Aborted"`. */
  signal?: AbortSignal;
}

/** A progress report of a long operation. */
export interface Progress {
  /** Bytes (or items) done so far. */
  loaded: number;
  /** Total bytes (or items), when known. */
  total?: number;
}

/** Options of operations that report progress. */
export interface ProgressOptions extends OperationOptions {
  /** Called as work advances; must not throw. */
  onProgress?: (progress: Progress) => void;
}

/** How a client proves who it is. */
export type CredentialKind = "entra" | "sas" | "accountKey" | "anonymous";

/**
 * The kind of access an operation needs; BlobKit names the matching SAS permission and Azure role
 * when the service refuses it.
 */
export type AccessKind =
  | "read"
  | "write"
  | "create"
  | "delete"
  | "list"
  | "tag"
  | "filter"
  | "delegate"
  | "manage";

/** The minimal view of an SDK client that error conversion needs. */
export interface ClientLike {
  readonly url: string;
  readonly credential?: unknown;
}

/** What BlobKit was doing when an error happened, to make the message actionable. */
export interface ErrorContext {
  /** Verb phrase, e.g. `"create container"`. */
  operation: string;
  /** What it acted on, e.g. `"container 'reports'"`. */
  resource?: string;
  /** The client used, to name the credential kind (never its secret). */
  client?: ClientLike;
  /** The access the operation needs. */
  access?: AccessKind;
}

/** Why a request is tried again. */
export type RetryReason = "timeout" | "network" | "throttled" | "server-error";

/** Passed to {@link RetryOptions.onRetry} before each retry. */
export interface RetryEvent {
  /** The try that failed, from 1. */
  attempt: number;
  /** Why it is retried. */
  reason: RetryReason;
  /** HTTP status of the failed try, if the service answered. */
  statusCode?: number;
  /** How long BlobKit waits before the next try. */
  delayMs: number;
  /** Method and path of the request (no query string, so no SAS). */
  request: string;
}

/**
 * How BlobKit retries and times out each request. Every field is optional.
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 *
 * const service = await connect({
 *   method: "connectionString",
 *   connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING ?? "",
 *   retry: { maxTries: 5, tryTimeoutMs: 10_000, retryDelayMs: 500, maxRetryDelayMs: 8_000 },
 * });
 * ```
 */
export interface RetryOptions {
  /**
   * Total number of tries, including the first (1 disables retries).
   * @defaultValue 4
   */
  maxTries?: number;
  /**
   * Client-side per-try timeout: the longest one try may wait for the service's response without
   * any sign of progress. While a request body is still being handed to the network, each chunk
   * re-arms the timer; once it is all handed over, the timer allows for it to drain at
   * {@link RetryOptions.minUploadBytesPerSecond}. When it passes, the request is aborted and
   * retried. The SDK's own `tryTimeoutInMs` only asks the server to time out, so a server that
   * never answers would hang it forever; this one cannot. 0 disables it.
   * @defaultValue 30000
   */
  tryTimeoutMs?: number;
  /**
   * The slowest upload speed to allow for: a request body of n bytes gets n / this seconds on top
   * of {@link RetryOptions.tryTimeoutMs}, because the operating system may buffer megabytes of it
   * before the network has carried them.
   * @defaultValue 65536 (64 KiB/s)
   */
  minUploadBytesPerSecond?: number;
  /**
   * Base delay of the exponential backoff: try n waits about `retryDelayMs * 2^(n-1)`, with jitter.
   * @defaultValue 800
   */
  retryDelayMs?: number;
  /**
   * Upper bound of any single delay, including one asked for by a `Retry-After` header.
   * @defaultValue 30000
   */
  maxRetryDelayMs?: number;
  /**
   * Randomize each delay between half and all of its value, so many clients that failed together
   * do not retry together.
   * @defaultValue true
   */
  jitter?: boolean;
  /**
   * Host of a read-access geo-redundant (RA-GRS) secondary, e.g. `myaccount-secondary.blob.core.windows.net`.
   * Retries of reads (GET, HEAD) alternate between the primary and this host.
   */
  secondaryHost?: string;
  /** Called before each retry; useful for metrics. Must not throw. */
  onRetry?: (event: RetryEvent) => void;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<Omit<RetryOptions, "secondaryHost" | "onRetry">> &
  Pick<RetryOptions, "secondaryHost" | "onRetry">;
