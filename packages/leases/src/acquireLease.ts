// acquireLease: take a lease on a blob or container, optionally waiting until its holder lets go.
import type { OperationOptions } from "@blobkit/auth";
import { acquireLeaseHandle, validateAcquireOptions } from "./internal/acquire.js";
import { validateTarget } from "./internal/validate.js";
import type { Lease, LeaseDuration, LeaseTarget } from "./Lease.js";

/** How {@link acquireLease} and {@link withLease} wait while another client holds the lease. */
export interface WaitForLeaseOptions {
  /**
   * Give up after this many milliseconds and fail with a `LeaseConflict`
   * {@link @blobkit/auth!StorageError}. `Infinity` waits until the `signal` aborts; 0 tries once.
   */
  timeoutMs: number;
  /**
   * First delay between tries; it doubles after each failed try (with jitter) up to
   * `maxRetryDelayMs`.
   * @defaultValue 250
   */
  retryDelayMs?: number;
  /**
   * Longest delay between tries. Lower it for short critical sections under contention; raise it
   * to make fewer requests while a lease is held for long.
   * @defaultValue 5000
   */
  maxRetryDelayMs?: number;
}

/** Options of {@link acquireLease}. */
export interface AcquireLeaseOptions extends OperationOptions {
  /**
   * The lease id to ask for (a GUID). Acquiring again with the id of the active lease succeeds
   * and renews it.
   * @defaultValue a new random GUID
   */
  proposedLeaseId?: string;
  /**
   * Wait while another client holds the lease, trying again with backoff until it is released,
   * expires or is broken. Without it, a held lease fails at once with `LeaseConflict`.
   */
  wait?: WaitForLeaseOptions;
}

/**
 * Acquires a lease on a blob or container for `durationSeconds` (15-60) or `"infinite"`, and
 * returns a {@link Lease} to renew, change, release or break it. While a blob is leased, writing
 * or deleting it needs the lease id (`conditions: { leaseId: lease.leaseId }`); a container lease
 * guards only its deletion. The blob or container must exist. With `wait`, a lease held by
 * someone else is tried again with backoff until it frees up or `wait.timeoutMs` passes; without
 * it, that fails at once with a `LeaseConflict` {@link @blobkit/auth!StorageError}. The duration
 * and the proposed id (a GUID) are checked before any request. Nothing renews this lease for
 * you: use {@link withLease} for that.
 *
 * @example
 * ```ts
 * import { acquireLease } from "@blobkit/leases";
 *
 * await using lease = await acquireLease(blob, 30, { wait: { timeoutMs: 10_000 } });
 * await blob.upload("v2", 2, { conditions: { leaseId: lease.leaseId } });
 * ```
 */
export async function acquireLease(
  target: LeaseTarget,
  durationSeconds: LeaseDuration,
  options: AcquireLeaseOptions = {},
): Promise<Lease> {
  validateTarget(target);
  validateAcquireOptions(durationSeconds, options);
  return acquireLeaseHandle(target, durationSeconds, options);
}
