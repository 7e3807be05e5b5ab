// Keeps a held lease alive for withLease: renews it in the background, and aborts a signal the
// moment the lease is lost (renewal refused, or not renewed in time to be sure it is still ours).
// Every timer and in-flight request is cleared by stop(), so nothing outlives withLease.
import { isStorageError, StorageError } from "@blobkit/auth";
import { abortedError, backoff, type OperationLabel } from "@blobkit/auth/kit";
import { isLeaseGone, type LeaseHandle } from "./LeaseHandle.js";
import { describeTarget, leaseHint } from "./operation.js";

/** The `operation` of the error that reports a lost lease; isLeaseLost looks for it. */
export const KEEP_LEASE_OPERATION = "keep lease";

export interface LeaseKeeper {
  /** Fires when the lease is lost (reason: the LeaseConflict error) or the caller aborts. */
  readonly signal: AbortSignal;
  /** The error that reports the loss, once the lease is lost. */
  readonly lost: StorageError | undefined;
  /** Reports the lease lost because of `error`, unless it already is or the keeper stopped. */
  markLost(error: StorageError): void;
  /** Stops renewing: clears every timer, aborts a renewal in flight, detaches from the caller. */
  stop(): void;
}

/** Share of a fixed duration kept as a safety margin: the keeper gives up this long before expiry. */
const SAFETY_SHARE = 0.1;
const FIRST_RETRY_DELAY_MS = 500;

/** When a fixed-duration lease must count as lost if not renewed: a little before it expires. */
export function safeLifetimeMs(durationSeconds: number): number {
  return durationSeconds * 1000 * (1 - SAFETY_SHARE);
}

export function keepLeaseAlive(
  lease: LeaseHandle,
  renewIntervalMs: number,
  callerSignal: AbortSignal | undefined,
  what: OperationLabel,
): LeaseKeeper {
  const controller = new AbortController();
  const lifetimeMs =
    typeof lease.durationSeconds === "number" ? safeLifetimeMs(lease.durationSeconds) : Infinity;
  let lost: StorageError | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt: AbortController | undefined;
  let failures = 0;

  const clear = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    attempt?.abort();
    attempt = undefined;
    callerSignal?.removeEventListener("abort", onCallerAbort);
  };
  const markLost = (error: StorageError) => {
    if (stopped || lost) return;
    lost = error;
    clear();
    controller.abort(error);
  };
  function onCallerAbort() {
    if (!controller.signal.aborted) controller.abort(abortedError(what, callerSignal?.reason));
  }
  const schedule = (ms: number) => {
    // These timers keep the process alive on purpose: holding a lease is work in progress, and a
    // `fn` that only waits for its signal (a leader) must not let Node exit under it. stop()
    // clears them, and withLease always calls stop() before it settles.
    timer = setTimeout(renew, Math.max(0, ms));
  };
  const giveUpAt = () => lease.renewedAt + lifetimeMs;

  async function renew() {
    timer = undefined;
    if (stopped || lost) return;
    const current = new AbortController();
    attempt = current;
    // A renewal still in flight when the lease may expire no longer proves anything.
    const remaining = giveUpAt() - performance.now();
    const deadline = Number.isFinite(remaining)
      ? setTimeout(() => current.abort(), Math.max(0, remaining))
      : undefined;
    try {
      await lease.renew({ signal: current.signal });
      failures = 0;
      if (!stopped && !lost) schedule(renewIntervalMs);
    } catch (error) {
      if (stopped || lost) return;
      if (isLeaseGone(error)) {
        markLost(refusedError(lease, error as StorageError));
        return;
      }
      // Anything else (network, timeout, 5xx, throttling, even a credential problem) does not end
      // the lease: it stays ours until it expires, so keep trying until then.
      failures++;
      const left = giveUpAt() - performance.now();
      if (left <= 0) {
        markLost(expiredError(lease, error));
        return;
      }
      const delay = backoff(failures, {
        retryDelayMs: FIRST_RETRY_DELAY_MS,
        maxRetryDelayMs: renewIntervalMs,
        jitter: true,
      });
      schedule(Math.min(left, delay));
    } finally {
      if (deadline !== undefined) clearTimeout(deadline);
      if (attempt === current) attempt = undefined;
    }
  }

  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  schedule(renewIntervalMs);

  return {
    signal: controller.signal,
    get lost() {
      return lost;
    },
    markLost,
    stop() {
      stopped = true;
      clear();
    },
  };
}

/** The LeaseConflict error that reports a lease lost because the service refused it. */
export function refusedError(lease: LeaseHandle, cause: StorageError): StorageError {
  const hint = leaseHint(cause.serviceCode);
  return new StorageError(
    "LeaseConflict",
    `The lease on ${describeTarget(lease.target)} was lost: the service refused it (${cause.serviceCode ?? cause.statusCode ?? cause.code}).${hint ? ` ${hint}` : ""} Writes with its id are rejected; stop the work that needed it.`,
    {
      operation: KEEP_LEASE_OPERATION,
      cause,
      ...(cause.statusCode !== undefined ? { statusCode: cause.statusCode } : {}),
      ...(cause.serviceCode !== undefined ? { serviceCode: cause.serviceCode } : {}),
      ...(cause.requestId !== undefined ? { requestId: cause.requestId } : {}),
    },
  );
}

function expiredError(lease: LeaseHandle, cause: unknown): StorageError {
  const detail = isStorageError(cause) ? `${cause.code}: ${cause.message}` : String(cause);
  return new StorageError(
    "LeaseConflict",
    `The lease on ${describeTarget(lease.target)} was lost: it could not be renewed before it expires (last error: ${detail}). Another client may acquire it now; stop the work that needed it.`,
    { operation: KEEP_LEASE_OPERATION, cause },
  );
}
