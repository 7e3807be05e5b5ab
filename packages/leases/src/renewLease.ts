// renewLease: restart the clock of a fixed-duration lease.
import type { OperationOptions } from "@blobkit/auth";
import { requestRenew } from "./internal/requests.js";
import type { LeaseTarget } from "./types.js";

/** Options of {@link renewLease}. */
export interface RenewLeaseOptions extends OperationOptions {}

/**
 * Renews the lease with id `leaseId` on a blob or container, so a fixed-duration lease lasts its
 * full duration again from now. A lease can be renewed after it expired as long as no one else
 * acquired one in between; a released or broken lease cannot. Fails with a `LeaseConflict`
 * {@link @blobkit/auth!StorageError} when the id does not match the active lease. The lease id
 * must be a GUID; it is checked before any request.
 *
 * @see [Create and manage blob leases: Renew, hand over and release](../../../apps/docs/guides/blob-leases.md#renew-hand-over-and-release)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { renewLease } from "@blobkit/leases";
 *
 * declare const blob: BlobClient;
 * declare const leaseId: string;
 * await renewLease(blob, leaseId);
 * ```
 */
export async function renewLease(
  target: LeaseTarget,
  leaseId: string,
  options: RenewLeaseOptions = {},
): Promise<void> {
  await requestRenew(target, leaseId, options);
}
