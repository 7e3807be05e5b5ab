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

/**
 * Why a request is tried again: no answer in time, a network error, throttling (429, 503), a
 * server error (408, 500, 502, 504), or a body the service refused because it arrived changed
 * (400 `Md5Mismatch` or `Crc64Mismatch`: it checked the request's checksum and stored nothing).
 */
export type RetryReason = "timeout" | "network" | "throttled" | "server-error" | "corrupted";

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
   * re-arms the timer; once it is all handed over, the try waits this long for the response plus
   * the time the part of the body the operating system may still hold (4 MiB at most, a socket
   * send buffer) needs to drain at {@link RetryOptions.minUploadBytesPerSecond}. When it passes,
   * the request is aborted and retried, and the `Timeout` error says which bound was hit. The
   * SDK's own `tryTimeoutInMs` only asks the server to time out, so a server that never answers
   * would hang it forever; this one cannot. 0 disables it.
   * @defaultValue 30000
   */
  tryTimeoutMs?: number;
  /**
   * The slowest speed at which the operating system's send buffer is expected to drain. Once a
   * request body has been handed over, up to 4 MiB of it may still wait in that buffer (the rest
   * of a larger body cannot be queued: it is handed over only as the buffer drains), so the try
   * gets `min(body size, 4 MiB)` divided by this on top of {@link RetryOptions.tryTimeoutMs}:
   * with the defaults, 30 s + 6.4 s, enough for a full buffer on links down to about 1 Mbit/s.
   * On slower links, lower it (or raise `tryTimeoutMs`). In a browser, where `fetch` reports
   * nothing of a body until the response, the try gets the whole body's size divided by this on
   * top of `tryTimeoutMs` (30 s + 6.4 s for a 4 MiB block with the defaults).
   * @defaultValue 655360 (640 KiB/s)
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

/**
 * What a SAS token can reach, as {@link ConnectionDiagnosis} reports it: the whole account (an
 * account SAS), or one container or blob (a service SAS, `sr=c` / `sr=b`), with its permissions.
 */
export interface SasReach {
  /**
   * `"account"` for an account SAS; `"container"`, `"blob"` or `"directory"` for a service SAS
   * made for one of them (a snapshot or version SAS counts as `"blob"`).
   */
  resource: "account" | "container" | "blob" | "directory";
  /** The container a service SAS was checked against. */
  container?: string;
  /** The blob (or directory) path a blob SAS was checked against. */
  blob?: string;
  /** The signed permissions (`sp`), e.g. `"rl"`; absent when a stored access policy holds them. */
  permissions?: string;
  /** An account SAS's resource types (`srt`): `s` service, `c` container, `o` object. */
  resourceTypes?: string;
  /** When the token expires (`se`); absent when a stored access policy holds it. */
  expiresOn?: Date;
}
