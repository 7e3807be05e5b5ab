// changeLease: hand a lease over to a new id without releasing it.
import type { OperationOptions } from "@blobkit/auth";
import { requestChange } from "./internal/requests.js";
import type { LeaseTarget } from "./types.js";

/** Options of {@link changeLease}. */
export interface ChangeLeaseOptions extends OperationOptions {}

/**
 * Changes the id of the active lease on a blob or container from `leaseId` to `proposedLeaseId`,
 * without releasing it: the way to hand a lease over to another process, which then uses the new
 * id. The old id stops working at once. Both ids must be GUIDs; they are checked before any
 * request. Fails with a `LeaseConflict` {@link @blobkit/auth!StorageError} when `leaseId` does
 * not match the active lease (or when the lease is being broken).
 *
 * @see [Create and manage blob leases: Renew, hand over and release](../../../apps/docs/guides/blob-leases.md#renew-hand-over-and-release)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { changeLease } from "@blobkit/leases";
 *
 * declare const blob: BlobClient;
 * declare const oldId: string;
 * const newId = crypto.randomUUID();
 * await changeLease(blob, oldId, newId);
 * ```
 */
export async function changeLease(
  target: LeaseTarget,
  leaseId: string,
  proposedLeaseId: string,
  options: ChangeLeaseOptions = {},
): Promise<void> {
  await requestChange(target, leaseId, proposedLeaseId, options);
}
