// The types every lease function shares: what can be leased, for how long, a held lease, and the
// options of acquiring and breaking one. They live here so that src/internal/ needs no public
// capability file for a type, and no import circle forms between the two.
import type { BlobClient, ContainerClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";

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
   * How long the lease lasts without renewal: 15 to 60 whole seconds, or `"infinite"` (until
   * released or broken). Nothing renews it for you; {@link withLease} does.
   * @defaultValue 15
   */
  durationSeconds?: LeaseDuration;
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

/** Options of {@link breakLease}. */
export interface BreakLeaseOptions extends OperationOptions {
  /**
   * Seconds (0-60) the holder keeps the lease before it ends; during that time the lease can be
   * neither renewed nor acquired, but writes with its id still succeed. The break never lasts
   * longer than the lease has left.
   * @defaultValue the time the lease has left: 0 for an infinite lease, the rest of the duration
   * for a fixed one
   */
  breakPeriodSeconds?: number;
}

/** What {@link breakLease} returns. */
export interface BreakLeaseResult {
  /** Seconds until the lease is broken; 0 means it is broken already and can be acquired. */
  remainingSeconds: number;
}

/**
 * A lease you hold, as returned by {@link acquireLease}. Its methods act on the same target with
 * the current lease id. Use it with `await using` to release it when the scope ends.
 *
 * @example
 * ```ts
 * import type { BlockBlobClient } from "@azure/storage-blob";
 * import { acquireLease } from "@blobkit/leases";
 *
 * declare const blob: BlockBlobClient;
 * await using lease = await acquireLease(blob, { durationSeconds: 15 });
 * await blob.upload("data", 4, { conditions: { leaseId: lease.leaseId } });
 * console.log(JSON.stringify(lease)); // {"leaseId":"...","target":"blob ...","durationSeconds":15,...}
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
  /** When the lease was acquired (this process's clock, when the service's answer arrived). */
  readonly acquiredAt: Date;
  /** Renews the lease: a fixed-duration lease then lasts its full duration again. */
  renew(options?: OperationOptions): Promise<void>;
  /** Releases the lease, so another client can acquire one at once. */
  release(options?: OperationOptions): Promise<void>;
  /** Changes the lease id to `proposedLeaseId` (a GUID); {@link Lease.leaseId} follows. */
  change(proposedLeaseId: string, options?: OperationOptions): Promise<void>;
  /** Breaks the lease; see {@link breakLease}. */
  break(options?: BreakLeaseOptions): Promise<BreakLeaseResult>;
  /**
   * What `JSON.stringify` writes for the lease, for logs: its id, what is leased, the duration
   * and when it was acquired; never the SDK client (which holds the credential and cannot be
   * serialized anyway).
   */
  toJSON(): LeaseJSON;
}

/** A {@link Lease} as `JSON.stringify` writes it. */
export interface LeaseJSON {
  /** The current lease id. */
  leaseId: string;
  /** What is leased, e.g. `"blob 'q1.csv' in container 'reports'"` or `"container 'reports'"`. */
  target: string;
  /** The duration the lease was acquired with. */
  durationSeconds: LeaseDuration;
  /** When the lease was acquired, as an ISO 8601 string. */
  acquiredAt: string;
}
