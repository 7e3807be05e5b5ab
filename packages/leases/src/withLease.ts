// withLease: a distributed lock. Acquire (optionally waiting), renew in the background, tell fn at
// once when the lease is lost, and always release, whatever happens.
import {
  isStorageError,
  type OperationOptions,
  type StorageError,
  toStorageError,
} from "@blobkit/auth";
import { invalidArgument } from "@blobkit/auth/kit";
import {
  acquireLeaseHandle,
  DEFAULT_DURATION_SECONDS,
  validateAcquireOptions,
} from "./internal/acquire.js";
import { keepLeaseAlive, refusedError, safeLifetimeMs } from "./internal/keeper.js";
import { isLeaseGone, type LeaseHandle } from "./internal/LeaseHandle.js";
import { describeTarget } from "./internal/operation.js";
import { validateMilliseconds, validateTarget } from "./internal/validate.js";
import { isLeaseLost } from "./isLeaseLost.js";
import type {
  BreakLeaseOptions,
  BreakLeaseResult,
  Lease,
  LeaseDuration,
  LeaseTarget,
  WaitForLeaseOptions,
} from "./types.js";

/** Options of {@link withLease}. */
export interface WithLeaseOptions extends OperationOptions {
  /**
   * Lease duration: 15-60 seconds or `"infinite"`. A short lease frees the lock sooner when its
   * holder crashes; withLease renews it while `fn` runs either way.
   * @defaultValue 15
   */
  durationSeconds?: LeaseDuration;
  /**
   * How often to renew the lease, in milliseconds. Loss (a broken or changed lease) is noticed
   * at the next renewal at the latest. Must be below 90% of a fixed duration.
   * @defaultValue a third of the duration (5000 for 15 s); 20000 for an infinite lease
   */
  renewIntervalMs?: number;
  /**
   * The lease id to ask for (a GUID).
   * @defaultValue a new random GUID
   */
  proposedLeaseId?: string;
  /** Wait while another client holds the lease; without it, a held lease fails at once. */
  wait?: WaitForLeaseOptions;
  /**
   * How long, in milliseconds, to try releasing the lease after `fn` threw, the lease was lost
   * or the caller aborted, so that a cancelled caller is not kept waiting by a slow or
   * unreachable service. If the release does not finish in time, the lease is left to expire
   * after its duration (an infinite lease stays until it is broken), and withLease throws the
   * original error. After `fn` returns normally, the release is not cut short: its failure is
   * reported.
   * @defaultValue 10000
   */
  releaseTimeoutMs?: number;
}

/** The default of {@link WithLeaseOptions.releaseTimeoutMs}. */
export const DEFAULT_RELEASE_TIMEOUT_MS = 10_000;
/** Longest delay a Node.js timer supports; longer ones would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The lease {@link withLease} gives `fn`: a {@link Lease} with a `signal` that fires the moment
 * the lease is lost.
 */
export interface HeldLease extends Lease {
  /**
   * Fires when the lease is lost (its `reason` is then a `LeaseConflict`
   * {@link @blobkit/auth!StorageError} that {@link isLeaseLost} recognizes) or when the caller's
   * `signal` aborts. Pass it to every call `fn` makes, and stop when it fires.
   */
  readonly signal: AbortSignal;
}

const INFINITE_RENEW_INTERVAL_MS = 20_000;

/**
 * Runs `fn` while holding a lease on `target`: the building block of a distributed lock. It
 * acquires the lease (waiting with backoff when `wait` is set), renews it in the background (by
 * default at a third of its duration), gives `fn` a {@link HeldLease} whose `signal` fires the
 * moment the lease is lost (renewal refused because it was broken, changed or taken, or not
 * renewed in time), and always releases it when `fn` settles, also when `fn` throws or the
 * caller aborts (then trying for at most `releaseTimeoutMs`). It leaves no timer behind.
 *
 * Mutual exclusion is enforced by the service only for requests that carry the lease id: pass
 * `conditions: { leaseId: lease.leaseId }` to every write, so a write after a loss fails (412)
 * instead of racing the new holder. When `fn` returns, its value is returned even if the lease
 * was lost afterwards (its conditional writes succeeded, so they happened under the lease). When
 * `fn` throws because of the loss (an abort or a lease error), withLease throws the loss error
 * ({@link isLeaseLost}); when the caller aborted, an `Aborted` error. Options are checked before
 * any request.
 *
 * @see [Use a blob lease as a distributed lock: Run work under the lock](../../../apps/docs/guides/lease-lock.md#run-work-under-the-lock)
 *
 * @example
 * ```ts
 * import type { BlockBlobClient } from "@azure/storage-blob";
 * import { withLease } from "@blobkit/leases";
 *
 * declare const counter: BlockBlobClient;
 * const total = await withLease(
 *   counter,
 *   async (lease) => {
 *     const value = Number((await counter.downloadToBuffer(0, undefined, { abortSignal: lease.signal })).toString());
 *     await counter.upload(String(value + 1), String(value + 1).length, {
 *       conditions: { leaseId: lease.leaseId },
 *       abortSignal: lease.signal,
 *     });
 *     return value + 1;
 *   },
 *   { durationSeconds: 15, wait: { timeoutMs: 30_000 } },
 * );
 * ```
 */
export async function withLease<T>(
  target: LeaseTarget,
  fn: (lease: HeldLease) => T | Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  validateTarget(target);
  if (typeof fn !== "function") throw invalidArgument("fn", "must be a function");
  const durationSeconds =
    options.durationSeconds === undefined ? DEFAULT_DURATION_SECONDS : options.durationSeconds;
  validateAcquireOptions(durationSeconds, options);
  const renewIntervalMs = renewIntervalFor(durationSeconds, options.renewIntervalMs);
  const releaseTimeoutMs =
    options.releaseTimeoutMs === undefined
      ? DEFAULT_RELEASE_TIMEOUT_MS
      : validateMilliseconds(options.releaseTimeoutMs, "releaseTimeoutMs");

  const lease = await acquireLeaseHandle(target, durationSeconds, options);
  const keeper = keepLeaseAlive(lease, renewIntervalMs, options.signal, {
    operation: "hold lease",
    resource: describeTarget(target),
  });
  let value: T;
  try {
    value = await fn(heldLease(lease, keeper.signal));
  } catch (error) {
    if (!keeper.lost && isRefusal(error)) {
      // A write was refused for the lease: find out at once whether the lease is still ours.
      await lease.renew().catch((renewError: unknown) => {
        if (isLeaseGone(renewError))
          keeper.markLost(refusedError(lease, renewError as StorageError));
      });
    }
    keeper.stop();
    // Released even when lost: harmless if someone else holds it now (the id does not match).
    // Bounded in time, so a caller who aborted is not kept waiting by a slow service.
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(), Math.min(releaseTimeoutMs, MAX_TIMER_MS));
    await lease
      .release({ signal: giveUp.signal })
      .catch(() => {})
      .finally(() => clearTimeout(timer));
    throw chooseError(error, keeper.lost, keeper.signal);
  }
  keeper.stop();
  try {
    await lease.release();
  } catch (error) {
    // Already gone (expired, broken, taken): nothing to release. Anything else (the network is
    // down) leaves the lease held until it expires, or for good if infinite: the caller must know.
    if (!keeper.lost && !isLeaseGone(error)) throw error;
  }
  return value;
}

function renewIntervalFor(durationSeconds: LeaseDuration, renewIntervalMs: unknown): number {
  if (renewIntervalMs === undefined) {
    return durationSeconds === "infinite"
      ? INFINITE_RENEW_INTERVAL_MS
      : (durationSeconds * 1000) / 3;
  }
  const ms = validateMilliseconds(renewIntervalMs, "renewIntervalMs");
  if (durationSeconds !== "infinite" && ms >= safeLifetimeMs(durationSeconds)) {
    throw invalidArgument(
      "renewIntervalMs",
      `must be below ${safeLifetimeMs(durationSeconds)} ms (90% of the ${durationSeconds} s lease) so the lease is renewed before it expires; got ${ms}`,
    );
  }
  return ms;
}

function heldLease(lease: LeaseHandle, signal: AbortSignal): HeldLease {
  return {
    get leaseId() {
      return lease.leaseId;
    },
    target: lease.target,
    durationSeconds: lease.durationSeconds,
    acquiredAt: lease.acquiredAt,
    signal,
    toJSON: () => lease.toJSON(),
    renew: (options?: OperationOptions) => lease.renew(options),
    release: (options?: OperationOptions) => lease.release(options),
    change: (proposedLeaseId: string, options?: OperationOptions) =>
      lease.change(proposedLeaseId, options),
    break: (options?: BreakLeaseOptions): Promise<BreakLeaseResult> => lease.break(options),
    // withLease releases on exit; disposing the held lease early is a release.
    [Symbol.asyncDispose]: () => lease[Symbol.asyncDispose](),
  };
}

/**
 * A service refusal that may mean the lease is gone (not an abort, not a network error), from
 * BlobKit or straight from the SDK.
 */
function isRefusal(error: unknown): boolean {
  if (isLeaseLost(error)) return false;
  const converted = error instanceof Error ? toStorageError(error) : undefined;
  return isStorageError(converted, "LeaseConflict", "PreconditionFailed");
}

function isAbortLike(error: unknown, signal: AbortSignal): boolean {
  return (
    error === signal.reason ||
    isStorageError(error, "Aborted") ||
    (error instanceof Error && error.name === "AbortError")
  );
}

/** What withLease throws when fn threw: the loss if fn failed because of it, else fn's error. */
function chooseError(error: unknown, lost: StorageError | undefined, signal: AbortSignal): unknown {
  if (lost && (isAbortLike(error, signal) || isRefusal(error) || isLeaseLost(error))) return lost;
  if (!lost && signal.aborted && isAbortLike(error, signal)) return signal.reason;
  return error;
}
