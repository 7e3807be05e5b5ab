// acquireLease: take a lease on a blob or container, optionally waiting until its holder lets go.
import {
  acquireArguments,
  acquireLeaseHandle,
  validateAcquireOptions,
} from "./internal/acquire.js";
import { validateLeaseDuration, validateTarget } from "./internal/validate.js";
import type { AcquireLeaseOptions, Lease, LeaseDuration, LeaseTarget } from "./types.js";

/**
 * Acquires a lease on a blob or container for `durationSeconds` (15-60, default 15) or
 * `"infinite"`, and returns a {@link Lease} to renew, change, release or break it. While a blob is
 * leased, writing or deleting it needs the lease id (`conditions: { leaseId: lease.leaseId }`); a
 * container lease guards only its deletion. The blob or container must exist. With `wait`, a
 * lease held by someone else is tried again with backoff until it frees up or `wait.timeoutMs`
 * passes; without it, that fails at once with a `LeaseConflict`
 * {@link @blobkit/auth!StorageError}. The duration and the proposed id (a GUID) are checked before
 * any request. Nothing renews this lease for you: use {@link withLease} for that.
 *
 * @see [Create and manage blob leases: Acquire a lease](../../../apps/docs/guides/blob-leases.md#acquire-a-lease)
 *
 * @example
 * ```ts
 * import type { BlockBlobClient } from "@azure/storage-blob";
 * import { acquireLease } from "@blobkit/leases";
 *
 * declare const blob: BlockBlobClient;
 * await using lease = await acquireLease(blob, { durationSeconds: 30, wait: { timeoutMs: 10_000 } });
 * await blob.upload("v2", 2, { conditions: { leaseId: lease.leaseId } });
 * ```
 */
export function acquireLease(target: LeaseTarget, options?: AcquireLeaseOptions): Promise<Lease>;
/**
 * Acquires a lease for `durationSeconds`, given positionally.
 *
 * @deprecated Pass the duration in the options, as {@link withLease} takes it:
 * `acquireLease(target, { durationSeconds: 30 })`. This form will be removed in the next minor
 * release.
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { acquireLease } from "@blobkit/leases";
 *
 * declare const blob: BlobClient;
 * const lease = await acquireLease(blob, { durationSeconds: 30 }); // not acquireLease(blob, 30)
 * ```
 */
export function acquireLease(
  target: LeaseTarget,
  durationSeconds: LeaseDuration,
  options?: AcquireLeaseOptions,
): Promise<Lease>;
export async function acquireLease(
  target: LeaseTarget,
  durationOrOptions?: LeaseDuration | AcquireLeaseOptions,
  maybeOptions?: AcquireLeaseOptions,
): Promise<Lease> {
  validateTarget(target);
  const { durationSeconds, options } = acquireArguments(durationOrOptions, maybeOptions);
  const duration = validateLeaseDuration(durationSeconds);
  validateAcquireOptions(duration, options);
  return acquireLeaseHandle(target, duration, options);
}
