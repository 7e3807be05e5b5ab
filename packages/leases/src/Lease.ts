// The types every lease function shares: what can be leased, for how long, and a held lease.
import type { BlobClient, ContainerClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import type { BreakLeaseOptions, BreakLeaseResult } from "./breakLease.js";

/**
 * What can be leased: a blob (any `BlobClient`, including block, append and page blob clients) or
 * a container. A blob lease makes writes and deletes need the lease id; a container lease guards
 * only the container's deletion.
 */
export type LeaseTarget = BlobClient | ContainerClient;

/**
 * How long a lease lasts without renewal: 15 to 60 whole seconds, or `"infinite"` (until released
 * or broken).
 */
export type LeaseDuration = number | "infinite";

/**
 * A lease you hold, as returned by {@link acquireLease}. Its methods act on the same target with
 * the current lease id. Use it with `await using` to release it when the scope ends.
 *
 * @example
 * ```ts
 * await using lease = await acquireLease(blob, 15);
 * await blob.upload("data", 4, { conditions: { leaseId: lease.leaseId } });
 * // released here
 * ```
 */
export interface Lease extends AsyncDisposable {
  /** The current lease id (a GUID); it changes after {@link Lease.change}. */
  readonly leaseId: string;
  /** The leased blob or container. */
  readonly target: LeaseTarget;
  /** The duration the lease was acquired with. */
  readonly durationSeconds: LeaseDuration;
  /** Renews the lease: a fixed-duration lease then lasts its full duration again. */
  renew(options?: OperationOptions): Promise<void>;
  /** Releases the lease, so another client can acquire one at once. */
  release(options?: OperationOptions): Promise<void>;
  /** Changes the lease id to `proposedLeaseId` (a GUID); {@link Lease.leaseId} follows. */
  change(proposedLeaseId: string, options?: OperationOptions): Promise<void>;
  /** Breaks the lease; see {@link breakLease}. */
  break(options?: BreakLeaseOptions): Promise<BreakLeaseResult>;
}
