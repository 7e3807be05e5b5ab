// The retry policy of "Configure a retry policy", as options: exponential backoff with jitter,
// a secondary host for reads, and a client-side per-try timeout that really aborts the request.
// The pipeline policies that apply them are in internal/retryPipelinePolicy.ts and
// internal/tryTimeoutPolicy.ts.
import { describeValue } from "./kit/describe.js";
import { checkInteger } from "./kit/options.js";
import { invalidArgument } from "./StorageError.js";

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
 * const service = await connect({
 *   method: "accountKey", accountName, accountKey,
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

/** The values BlobKit uses for options left out of {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS = Object.freeze({
  maxTries: 4,
  tryTimeoutMs: 30_000,
  minUploadBytesPerSecond: 65_536,
  retryDelayMs: 800,
  maxRetryDelayMs: 30_000,
  jitter: true,
});

/** `RestError.code` of a try that the per-try timeout aborted. */
export const TRY_TIMEOUT_CODE = "BLOBKIT_TRY_TIMEOUT";

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<Omit<RetryOptions, "secondaryHost" | "onRetry">> &
  Pick<RetryOptions, "secondaryHost" | "onRetry">;

/**
 * Checks {@link RetryOptions} and fills in defaults; throws `InvalidArgument` before any request.
 *
 * @example
 * ```ts
 * const settings = resolveRetryOptions({ maxTries: 6 });
 * settings.tryTimeoutMs; // 30000, the default
 * resolveRetryOptions({ maxTries: 0 }); // throws InvalidArgument naming retry.maxTries
 * ```
 */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument(
      "retry",
      `must be an object such as { maxTries: 5 }, got ${describeValue(options)}`,
    );
  }
  const d = DEFAULT_RETRY_OPTIONS;
  const int = (field: keyof typeof d, min: number, max: number) =>
    checkInteger(`retry.${field}`, options[field], { min, max }, d[field] as number);
  if (options.jitter !== undefined && typeof options.jitter !== "boolean") {
    throw invalidArgument("retry.jitter", "must be true or false");
  }
  if (
    options.secondaryHost !== undefined &&
    (typeof options.secondaryHost !== "string" ||
      !/^[A-Za-z0-9.-]+(:\d+)?$/.test(options.secondaryHost))
  ) {
    throw invalidArgument(
      "retry.secondaryHost",
      "must be a host name such as myaccount-secondary.blob.core.windows.net",
    );
  }
  return {
    maxTries: int("maxTries", 1, 20),
    tryTimeoutMs: int("tryTimeoutMs", 0, 3_600_000),
    minUploadBytesPerSecond: int("minUploadBytesPerSecond", 1, 1_000_000_000_000),
    retryDelayMs: int("retryDelayMs", 0, 600_000),
    maxRetryDelayMs: int("maxRetryDelayMs", 0, 3_600_000),
    jitter: options.jitter ?? d.jitter,
    ...(options.secondaryHost !== undefined ? { secondaryHost: options.secondaryHost } : {}),
    ...(options.onRetry !== undefined ? { onRetry: options.onRetry } : {}),
  };
}
