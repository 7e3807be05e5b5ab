// The one backoff formula of the kit: the retry policy's, used by every loop that waits and tries again.

/** The shape of {@link backoff}'s delays. */
export interface BackoffOptions {
  /** Delay of the first retry, before jitter. */
  retryDelayMs: number;
  /** Upper bound of any delay. */
  maxRetryDelayMs: number;
  /** Randomize each delay between half and all of its value. */
  jitter: boolean;
}

/**
 * Delay before the try after `attempt` (from 1): exponential from `retryDelayMs`, capped at
 * `maxRetryDelayMs`, with jitter between half and all of the value; a `Retry-After` the service
 * sent wins, within the cap.
 *
 * @example
 * ```ts
 * import { backoff } from "@blobkit/auth/kit";
 *
 * backoff(3, { retryDelayMs: 800, maxRetryDelayMs: 30_000, jitter: false }); // 3200
 * backoff(1, { retryDelayMs: 800, maxRetryDelayMs: 30_000, jitter: true }, 5_000); // 5000 (Retry-After)
 * ```
 */
export function backoff(
  attempt: number,
  options: BackoffOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, options.maxRetryDelayMs);
  }
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const exponential = Math.min(options.retryDelayMs * 2 ** exponent, options.maxRetryDelayMs);
  return options.jitter ? Math.round(exponential / 2 + random() * (exponential / 2)) : exponential;
}
