// getLeaseState: whether a blob or container is leased, in typed form.
import type { OperationOptions } from "@blobkit/auth";
import { runOperation, sdkOptions, throwIfAborted } from "@blobkit/auth/kit";
import { explainLeaseError, isBlobTarget, leaseContext } from "./internal/operation.js";
import { validateTarget } from "./internal/validate.js";
import type { LeaseTarget } from "./types.js";

/**
 * Where a lease is in its life: `"available"` (never leased or released), `"leased"`,
 * `"expired"`, `"breaking"` (broken with a break period that has not ended) or `"broken"`.
 * A new lease can be acquired in every state but `"leased"` and `"breaking"`.
 */
export type LeaseState = "available" | "leased" | "expired" | "breaking" | "broken";

/** `"locked"` while a lease is active (`"leased"` or `"breaking"`), else `"unlocked"`. */
export type LeaseStatus = "locked" | "unlocked";

/** Whether the active lease is `"infinite"` or `"fixed"` (15-60 s). */
export type LeaseDurationType = "infinite" | "fixed";

/** Options of {@link getLeaseState}. */
export interface GetLeaseStateOptions extends OperationOptions {}

/** What {@link getLeaseState} returns. */
export interface GetLeaseStateResult {
  /** Where the lease is in its life. */
  state: LeaseState;
  /** Whether a lease is active. */
  status: LeaseStatus;
  /** The kind of the active lease; `undefined` when no lease is active. */
  duration: LeaseDurationType | undefined;
}

/**
 * Reads the lease state, status and duration of a blob or container (one `Get Properties`
 * request). Fails with a `NotFound` {@link @blobkit/auth!StorageError} when the target does not
 * exist.
 *
 * @see [Create and manage blob leases: Read the lease state](../../../apps/docs/guides/blob-leases.md#read-the-lease-state)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { getLeaseState } from "@blobkit/leases";
 *
 * declare const blob: BlobClient;
 * const { state, duration } = await getLeaseState(blob);
 * if (state === "leased") console.log(`leased (${duration})`);
 * ```
 */
export async function getLeaseState(
  target: LeaseTarget,
  options: GetLeaseStateOptions = {},
): Promise<GetLeaseStateResult> {
  validateTarget(target);
  throwIfAborted(options.signal, "get lease state");
  const properties = await runOperation(
    leaseContext(target, "get lease state", "read"),
    () =>
      isBlobTarget(target)
        ? target.getProperties(sdkOptions(options))
        : target.getProperties(sdkOptions(options)),
    explainLeaseError,
  );
  return {
    state: properties.leaseState ?? "available",
    status: properties.leaseStatus ?? "unlocked",
    duration: properties.leaseDuration ?? undefined,
  };
}
