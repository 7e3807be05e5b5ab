// Optimistic concurrency: re-run a read-modify-write while the blob changes under it (HTTP 412).
import { isStorageError, StorageError } from "@blobkit/auth";
import { describeValue, invalidArgument, throwIfAborted } from "@blobkit/auth/kit";

/** Checks `maxAttempts` (1-100). */
export function checkAttempts(value: number | undefined, fallback: number): number {
  const attempts = value ?? fallback;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
    throw invalidArgument(
      "maxAttempts",
      `must be an integer from 1 to 100, got ${describeValue(attempts)}`,
    );
  }
  return attempts;
}

/** Waits 0-`max` ms (jittered), or throws Aborted when the signal fires. */
export function jitteredDelay(
  attempt: number,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<void> {
  const ms = Math.random() * Math.min(1_000, 25 * 2 ** attempt);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(
        new StorageError("Aborted", `${operation} was cancelled by its AbortSignal.`, {
          operation,
        }),
      );
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `attempt(n)` until it succeeds, retrying on `PreconditionFailed` up to `maxAttempts` times
 * when `retry412` is true. Returns the result and how many attempts it took.
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
      if (!retry412 || n >= maxAttempts || !isStorageError(error, "PreconditionFailed")) {
        throw error;
      }
      await jitteredDelay(n, signal, operation);
    }
  }
}
