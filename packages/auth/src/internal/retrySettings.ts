// The retry settings of "Configure a retry policy": defaults, and the check that fills them in
// before any request. The pipeline policies that apply them are retryPipelinePolicy.ts and
// tryTimeoutPolicy.ts.
import { describeValue } from "../kit/describe.js";
import { checkInteger } from "../kit/options.js";
import { invalidArgument } from "../StorageError.js";
import type { ResolvedRetryOptions, RetryOptions } from "../types.js";

/** The values BlobKit uses for options left out of {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS = Object.freeze({
  maxTries: 4,
  tryTimeoutMs: 30_000,
  minUploadBytesPerSecond: 655_360,
  retryDelayMs: 800,
  maxRetryDelayMs: 30_000,
  jitter: true,
});

/** `RestError.code` of a try that the per-try timeout aborted. */
export const TRY_TIMEOUT_CODE = "BLOBKIT_TRY_TIMEOUT";

/**
 * Checks {@link RetryOptions} and fills in defaults; throws `InvalidArgument` before any request.
 *
 * @example
 * ```ts
 * import { resolveRetryOptions } from "@blobkit/auth/kit";
 *
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
