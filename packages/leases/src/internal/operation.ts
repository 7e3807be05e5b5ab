// Runs one lease request through @blobkit/auth's error conversion, and adds to lease errors the
// hint users need: who holds the lease, why an id no longer matches, what to do next.
import type { BlobClient, BlobLeaseClient } from "@azure/storage-blob";
import { type AccessKind, isStorageError, StorageError } from "@blobkit/auth";
import { runOperation } from "@blobkit/auth/kit";
import type { LeaseTarget } from "../Lease.js";

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

const HINTS: Record<string, string> = {
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
  return serviceCode ? HINTS[serviceCode] : undefined;
}

export async function runLeaseOperation<T>(
  operation: string,
  target: LeaseTarget,
  access: AccessKind,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await runOperation(
      { operation, resource: describeTarget(target), client: target, access },
      fn,
    );
  } catch (error) {
    const hint = isStorageError(error, "LeaseConflict") ? leaseHint(error.serviceCode) : undefined;
    if (!hint || !isStorageError(error)) throw error;
    throw new StorageError(error.code, `${error.message} ${hint}`, {
      ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
      ...(error.serviceCode !== undefined ? { serviceCode: error.serviceCode } : {}),
      ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
      ...(error.operation !== undefined ? { operation: error.operation } : {}),
      ...(error.tries !== undefined ? { tries: error.tries } : {}),
      ...(error.cause !== undefined ? { cause: error.cause } : {}),
    });
  }
}
