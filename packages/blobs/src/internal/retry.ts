// Optimistic concurrency: re-run a read-modify-write while the blob changes under it (HTTP 412).
import { isStorageError } from "@blobkit/auth";
import {
  abortedError,
  type BackoffOptions,
  backoff,
  checkInteger,
  sleep,
  throwIfAborted,
} from "@blobkit/auth/kit";

/**
 * Waits between rounds: short (from 25 ms, at most 1 s) and jittered, so that writers that met on
 * one version do not meet again on the next.
 */
const ROUND_BACKOFF: BackoffOptions = { retryDelayMs: 25, maxRetryDelayMs: 1_000, jitter: true };

/** Errors that no new round can fix; see {@link noRetry}. */
const final = new WeakSet<object>();

/**
 * Runs a step whose `PreconditionFailed` is final: a read sent with only the caller's conditions
 * (`whereTags`, `leaseId`) fails the same way next round, so reading again would only waste
 * requests and time before the same error.
 */
export async function noRetry<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (typeof error === "object" && error !== null) final.add(error);
    throw error;
  }
}

/** Checks `maxAttempts` (1-100). */
export function checkAttempts(value: unknown, fallback: number): number {
  return checkInteger("maxAttempts", value, { min: 1, max: 100 }, fallback);
}

/**
 * Runs `attempt(n)` until it succeeds, retrying on `PreconditionFailed` (unless from a
 * {@link noRetry} step) up to `maxAttempts` times when `retry412` is true. Returns the result and
 * how many attempts it took.
 */
export async function withOptimisticRetry<T>(
  maxAttempts: number,
  retry412: boolean,
  signal: AbortSignal | undefined,
  operation: string,
  attempt: (n: number) => Promise<T>,
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    throwIfAborted(signal, operation);
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      if (
        !retry412 ||
        n >= maxAttempts ||
        !isStorageError(error, "PreconditionFailed") ||
        final.has(error)
      ) {
        throw error;
      }
      await sleep(backoff(n, ROUND_BACKOFF), signal, () => abortedError(operation));
    }
  }
}
