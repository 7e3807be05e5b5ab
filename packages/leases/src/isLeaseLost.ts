// isLeaseLost: tell "the lease was lost while working" from every other failure.
import { isStorageError, type StorageError } from "@blobkit/auth";
import { KEEP_LEASE_OPERATION } from "./internal/keeper.js";

/**
 * Tells whether an error reports a lease lost while {@link withLease} held it: renewal refused
 * (the lease was broken, changed or taken by someone else, or its target deleted) or not renewed
 * in time. Such an error is a `LeaseConflict` {@link @blobkit/auth!StorageError} whose
 * `operation` is `"keep lease"`; it is the `reason` of the held lease's `signal`. A lease that
 * could not be acquired is not "lost".
 *
 * @see [Use a blob lease as a distributed lock: Stop when the lock is lost](../../../apps/docs/guides/lease-lock.md#stop-when-the-lock-is-lost)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { type HeldLease, isLeaseLost, withLease } from "@blobkit/leases";
 *
 * declare const blob: BlobClient;
 * declare function work(lease: HeldLease): Promise<void>;
 * try {
 *   await withLease(blob, work);
 * } catch (error) {
 *   if (isLeaseLost(error)) console.warn("lost the lock; another worker takes over");
 *   else throw error;
 * }
 * ```
 */
export function isLeaseLost(error: unknown): error is StorageError {
  return isStorageError(error, "LeaseConflict") && error.operation === KEEP_LEASE_OPERATION;
}
