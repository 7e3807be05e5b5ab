// An abortable delay that leaves no timer or listener behind, however it ends.
import { StorageError } from "@blobkit/auth";

/** Resolves after `ms`, or rejects with an `Aborted` StorageError for `operation` on abort. */
export function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(what, signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(what, signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The error of an operation cancelled by the caller's signal. `what` is e.g. "Acquire lease (blob 'a')". */
export function abortedError(what: string, signal: AbortSignal): StorageError {
  return new StorageError("Aborted", `${what} was cancelled by its AbortSignal.`, {
    ...(signal.reason !== undefined ? { cause: signal.reason } : {}),
  });
}

/** Exponential backoff with jitter (between half and all of the value). */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return full / 2 + (Math.random() * full) / 2;
}
