// Cancellation for every BlobKit package: one abortable sleep, one race against a signal, and the
// errors an abort turns into.
import { StorageError } from "../StorageError.js";
import { describeOperation, type OperationLabel } from "./describe.js";

/**
 * An `AbortError` as the SDK throws it, so that `toStorageError` reports `"Aborted"`.
 *
 * @example
 * ```ts
 * import { abortError } from "@blobkit/auth/kit";
 *
 * const error = abortError();
 * error.name; // "AbortError"
 * ```
 */
export function abortError(): Error {
  return new DOMException("The operation was aborted.", "AbortError");
}

/**
 * The `"Aborted"` {@link StorageError} of an operation cancelled by its caller's signal.
 *
 * @param what - the operation (`"upload blob"`) or its error context, which adds the resource.
 * @param cause - the signal's reason, when it is worth keeping.
 *
 * @example
 * ```ts
 * import { abortedError } from "@blobkit/auth/kit";
 *
 * const error = abortedError({ operation: "acquire lease", resource: "blob 'c/a.txt'" });
 * error.message; // "Acquire lease (blob 'c/a.txt') was cancelled by its AbortSignal."
 * ```
 */
export function abortedError(what: OperationLabel, cause?: unknown): StorageError {
  const operation = typeof what === "string" ? what : what.operation;
  return new StorageError(
    "Aborted",
    `${describeOperation(what)} was cancelled by its AbortSignal.`,
    {
      operation,
      ...(cause !== undefined ? { cause } : {}),
    },
  );
}

/**
 * Throws an `"Aborted"` {@link StorageError} if the signal has fired. Call it before starting work.
 *
 * @example
 * ```ts
 * import { throwIfAborted } from "@blobkit/auth/kit";
 *
 * throwIfAborted(AbortSignal.timeout(10_000), "upload blob");
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined, what: OperationLabel): void {
  if (signal?.aborted) throw abortedError(what);
}

/**
 * Resolves after `ms`, or rejects as soon as `signal` fires, leaving no timer or listener behind
 * however it ends. The rejection is `onAbort()`'s result, by default the signal's reason.
 *
 * @example
 * ```ts
 * import { abortedError, sleep } from "@blobkit/auth/kit";
 *
 * const signal = AbortSignal.timeout(5_000);
 * await sleep(100, signal, () => abortedError("wait for copy"));
 * ```
 */
export function sleep(
  ms: number,
  signal?: AbortSignal,
  onAbort: () => unknown = () => signal?.reason,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(onAbort());
      return;
    }
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/**
 * Settles like `promise`, or rejects with `onAbort()` (by default an `AbortError`) as soon as
 * `signal` fires: a paused source stream or a shared request that never completes cannot hold a
 * cancelled caller. The promise itself is not cancelled; its later rejection is ignored.
 *
 * @example
 * ```ts
 * import { raceAbort } from "@blobkit/auth/kit";
 *
 * const never = new Promise<string>(() => {});
 * await raceAbort(never, AbortSignal.timeout(100)).catch((error: Error) => error.name); // "AbortError"
 * ```
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => unknown = abortError,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      promise.catch(() => {});
      reject(onAbort());
    };
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}
