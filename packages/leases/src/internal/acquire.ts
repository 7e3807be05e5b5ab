// The acquire loop behind acquireLease and withLease: one try, or tries with backoff until the
// lease frees up, the wait times out or the caller aborts.
import { isStorageError, StorageError } from "@blobkit/auth";
import {
  abortedError,
  backoff,
  checkOptionsObject,
  describeValue,
  invalidArgument,
  randomUuid,
  runOperation,
  sdkOptions,
  sleep,
  throwIfAborted,
} from "@blobkit/auth/kit";
import type { AcquireLeaseOptions, LeaseDuration, LeaseTarget } from "../types.js";
import { LeaseHandle } from "./LeaseHandle.js";
import { describeTarget, explainLeaseError, leaseClientOf, leaseContext } from "./operation.js";
import { requestRelease } from "./requests.js";
import { validateLeaseDuration, validateLeaseId, validateMilliseconds } from "./validate.js";

/** The duration when none is given, in acquireLease as in withLease. */
export const DEFAULT_DURATION_SECONDS = 15;
const DEFAULT_RETRY_DELAY_MS = 250;
const DEFAULT_MAX_RETRY_DELAY_MS = 5_000;

/**
 * Sorts out acquireLease's arguments: `(target, options?)`, or the deprecated
 * `(target, durationSeconds, options?)`. Anything but a plain options object (or nothing) in the
 * second place is taken as a positional duration, so a wrong value there fails as one.
 */
export function acquireArguments(
  second: unknown,
  third: unknown,
): { durationSeconds: unknown; options: AcquireLeaseOptions } {
  // Only a plain object is options: a Map or a Date there is a mistake, refused as a duration.
  const isOptions = (value: unknown) =>
    value === undefined ||
    (typeof value === "object" &&
      value !== null &&
      [Object.prototype, null].includes(Object.getPrototypeOf(value)));
  if (isOptions(second) && (second !== undefined || third === undefined)) {
    if (third !== undefined) {
      throw invalidArgument("options", "is given twice; pass one options object");
    }
    const options = (second ?? {}) as AcquireLeaseOptions;
    const durationSeconds = options.durationSeconds;
    return {
      durationSeconds: durationSeconds === undefined ? DEFAULT_DURATION_SECONDS : durationSeconds,
      options,
    };
  }
  const options = checkOptionsObject(third as AcquireLeaseOptions | undefined);
  if (options.durationSeconds !== undefined && options.durationSeconds !== second) {
    throw invalidArgument(
      "durationSeconds",
      `is given twice (${describeValue(second)} and { durationSeconds: ${describeValue(options.durationSeconds)} }); pass it in the options only`,
    );
  }
  return { durationSeconds: second, options };
}

/** Checks the options of acquireLease before any request; withLease reuses it. */
export function validateAcquireOptions(
  durationSeconds: unknown,
  options: AcquireLeaseOptions,
): void {
  validateLeaseDuration(durationSeconds);
  if (options.proposedLeaseId !== undefined) {
    validateLeaseId(options.proposedLeaseId, "proposedLeaseId");
  }
  if (options.wait !== undefined) {
    if (typeof options.wait !== "object" || options.wait === null) {
      throw invalidArgument("wait", "must be an object such as { timeoutMs: 10_000 }");
    }
    validateMilliseconds(options.wait.timeoutMs, "wait.timeoutMs", {
      allowInfinity: true,
      allowZero: true,
    });
    if (options.wait.retryDelayMs !== undefined) {
      validateMilliseconds(options.wait.retryDelayMs, "wait.retryDelayMs");
    }
    if (options.wait.maxRetryDelayMs !== undefined) {
      validateMilliseconds(options.wait.maxRetryDelayMs, "wait.maxRetryDelayMs");
    }
  }
}

/** acquireLease, returning the handle withLease needs. */
export async function acquireLeaseHandle(
  target: LeaseTarget,
  durationSeconds: LeaseDuration,
  options: AcquireLeaseOptions,
): Promise<LeaseHandle> {
  const leaseId = options.proposedLeaseId ?? randomUuid();
  const wait = options.wait;
  const context = leaseContext(target, "acquire lease", "write");
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(options.signal, "acquire lease");
    const sentAt = performance.now();
    try {
      const response = await runOperation(
        context,
        () =>
          leaseClientOf(target, leaseId).acquireLease(
            durationSeconds === "infinite" ? -1 : durationSeconds,
            sdkOptions(options),
          ),
        explainLeaseError,
      );
      return new LeaseHandle(target, response.leaseId ?? leaseId, durationSeconds, sentAt);
    } catch (error) {
      if (
        options.proposedLeaseId === undefined &&
        options.signal?.aborted &&
        isStorageError(error, "Aborted")
      ) {
        // Cancelled in flight: the service may have granted the lease anyway. The random id is
        // surely ours, so release it rather than leave an infinite lease held forever; but only
        // briefly, so a slow service cannot hold up the abort (nor leave a request running).
        await requestRelease(target, leaseId, {
          signal: AbortSignal.timeout(RELEASE_AFTER_ABORT_MS),
        }).catch(() => {});
      }
      if (!wait || !isStorageError(error, "LeaseConflict")) throw error;
      const remaining = started + wait.timeoutMs - performance.now();
      if (remaining <= 0) throw waitTimedOut(target, wait.timeoutMs, attempt, error);
      const delay = backoff(attempt, {
        retryDelayMs: wait.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
        maxRetryDelayMs: wait.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
        jitter: true,
      });
      const signal = options.signal;
      await sleep(Math.min(delay, remaining), signal, () => abortedError(context, signal?.reason));
    }
  }
}

/**
 * The longest an aborted acquire spends releasing the lease it may have been granted: the abort
 * must take effect at once and leave no request or timer running.
 */
const RELEASE_AFTER_ABORT_MS = 500;

function waitTimedOut(
  target: LeaseTarget,
  timeoutMs: number,
  tries: number,
  last: StorageError,
): StorageError {
  return new StorageError(
    "LeaseConflict",
    `Acquire lease (${describeTarget(target)}) failed: another client held the lease for the whole wait of ${timeoutMs} ms (${last.serviceCode ?? last.statusCode}, ${tries} ${tries === 1 ? "try" : "tries"}). Raise wait.timeoutMs, or break the lease with breakLease if its holder is gone.`,
    {
      operation: "acquire lease",
      tries,
      cause: last,
      ...(last.statusCode !== undefined ? { statusCode: last.statusCode } : {}),
      ...(last.serviceCode !== undefined ? { serviceCode: last.serviceCode } : {}),
      ...(last.requestId !== undefined ? { requestId: last.requestId } : {}),
    },
  );
}
