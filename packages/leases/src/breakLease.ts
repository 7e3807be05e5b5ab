// breakLease: end someone's lease without knowing its id, at once or after a grace period.
import { requestBreak } from "./internal/requests.js";
import type { BreakLeaseOptions, BreakLeaseResult, LeaseTarget } from "./types.js";

/**
 * Breaks the lease on a blob or container without needing its id: the way to take a lock back
 * from a process that crashed holding an infinite lease. After the break period the lease is
 * broken: its holder can no longer renew it or write with its id, and anyone can acquire a new
 * one. The break period (0-60 s) is checked before any request.
 *
 * @see [Create and manage blob leases: Break a lease](../../../apps/docs/guides/blob-leases.md#break-a-lease)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { breakLease } from "@blobkit/leases";
 *
 * declare const blob: BlobClient;
 * const { remainingSeconds } = await breakLease(blob, { breakPeriodSeconds: 0 });
 * ```
 */
export async function breakLease(
  target: LeaseTarget,
  options: BreakLeaseOptions = {},
): Promise<BreakLeaseResult> {
  return requestBreak(target, options);
}
