// releaseLease: give a lease up so another client can acquire one at once.
import type { OperationOptions } from "@blobkit/auth";
import { requestRelease } from "./internal/requests.js";
import type { LeaseTarget } from "./types.js";

/** Options of {@link releaseLease}. */
export interface ReleaseLeaseOptions extends OperationOptions {}

/**
 * Releases the lease with id `leaseId` on a blob or container, so another client can acquire a
 * lease at once instead of waiting for this one to expire. Releasing an expired or broken lease
 * is fine; releasing with an id that does not match the active lease fails with a
 * `LeaseConflict` {@link @blobkit/auth!StorageError}. The lease id must be a GUID; it is checked
 * before any request.
 *
 * @see [Create and manage blob leases: Renew, hand over and release](../../../apps/docs/guides/blob-leases.md#renew-hand-over-and-release)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { releaseLease } from "@blobkit/leases";
 *
 * declare const blob: BlobClient;
 * declare const leaseId: string;
 * await releaseLease(blob, leaseId);
 * ```
 */
export async function releaseLease(
  target: LeaseTarget,
  leaseId: string,
  options: ReleaseLeaseOptions = {},
): Promise<void> {
  await requestRelease(target, leaseId, options);
}
