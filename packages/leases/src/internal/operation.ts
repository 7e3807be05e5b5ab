// How this package calls the SDK: the error context of a lease request, and the hint users need
// on a lease error (who holds the lease, why an id no longer matches, what to do next), added by
// the kit's runOperation through explainLeaseError.
import type { BlobClient, BlobLeaseClient } from "@azure/storage-blob";
import type { AccessKind, ErrorContext, StorageError } from "@blobkit/auth";
import { withHint } from "@blobkit/auth/kit";
import type { LeaseTarget } from "../types.js";

export function isBlobTarget(target: LeaseTarget): target is BlobClient {
  return typeof (target as Partial<BlobClient>).name === "string";
}

/** e.g. `blob 'reports/q1.csv' in container 'data'` or `container 'data'`. */
export function describeTarget(target: LeaseTarget): string {
  return isBlobTarget(target)
    ? `blob '${target.name}' in container '${target.containerName}'`
    : `container '${target.containerName}'`;
}

export function leaseClientOf(target: LeaseTarget, leaseId?: string): BlobLeaseClient {
  return target.getBlobLeaseClient(leaseId);
}

/** The error context of a lease request on `target`. */
export function leaseContext(
  target: LeaseTarget,
  operation: string,
  access: AccessKind,
): ErrorContext {
  return { operation, resource: describeTarget(target), client: target, access };
}

const HINTS: Readonly<Record<string, string>> = {
  LeaseAlreadyPresent:
    "Another client holds a lease on it. Wait until it is released or expires (the `wait` option of acquireLease and withLease does this), or break it with breakLease.",
  LeaseIdMismatchWithLeaseOperation:
    "The lease id does not match the active lease: the lease was changed, or it expired or was broken and another client acquired a new one.",
  LeaseNotPresentWithLeaseOperation:
    "There is no active lease: it was released, or it expired (renew a fixed-duration lease before its duration ends). Acquire a new one.",
  LeaseIsBrokenAndCannotBeRenewed:
    "The lease was broken with breakLease; it can only be released. Acquire a new one.",
  LeaseIsBreakingAndCannotBeAcquired:
    "The lease is being broken; acquire a new one once the break period has ended.",
  LeaseIsBreakingAndCannotBeChanged:
    "The lease is being broken and cannot be changed; acquire a new one once the break period has ended.",
  LeaseLost:
    "The lease expired or was broken, so the lease id is no longer valid. Acquire a new one.",
};

/** The hint for a lease service code, if there is one. */
export function leaseHint(serviceCode: string | undefined): string | undefined {
  return serviceCode && Object.hasOwn(HINTS, serviceCode) ? HINTS[serviceCode] : undefined;
}

/** Adds the lease hint to a `LeaseConflict` error; the explainer of every lease request. */
export function explainLeaseError(error: StorageError): StorageError {
  return error.code === "LeaseConflict" ? withHint(error, leaseHint(error.serviceCode)) : error;
}
