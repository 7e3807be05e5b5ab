// The requests on a lease someone holds: renew, release, change and break, each checked before
// it is sent. The public functions of the same names and the Lease object of acquireLease both
// send them through here.
import type { OperationOptions } from "@blobkit/auth";
import { runOperation, sdkOptions, throwIfAborted } from "@blobkit/auth/kit";
import type { BreakLeaseOptions, BreakLeaseResult, LeaseTarget } from "../types.js";
import { explainLeaseError, leaseClientOf, leaseContext } from "./operation.js";
import { validateBreakPeriod, validateLeaseId, validateTarget } from "./validate.js";

export async function requestRenew(
  target: LeaseTarget,
  leaseId: string,
  options: OperationOptions = {},
): Promise<void> {
  validateTarget(target);
  validateLeaseId(leaseId);
  throwIfAborted(options.signal, "renew lease");
  await runOperation(
    leaseContext(target, "renew lease", "write"),
    () => leaseClientOf(target, leaseId).renewLease(sdkOptions(options)),
    explainLeaseError,
  );
}

export async function requestRelease(
  target: LeaseTarget,
  leaseId: string,
  options: OperationOptions = {},
): Promise<void> {
  validateTarget(target);
  validateLeaseId(leaseId);
  throwIfAborted(options.signal, "release lease");
  await runOperation(
    leaseContext(target, "release lease", "write"),
    () => leaseClientOf(target, leaseId).releaseLease(sdkOptions(options)),
    explainLeaseError,
  );
}

export async function requestChange(
  target: LeaseTarget,
  leaseId: string,
  proposedLeaseId: string,
  options: OperationOptions = {},
): Promise<void> {
  validateTarget(target);
  validateLeaseId(leaseId);
  validateLeaseId(proposedLeaseId, "proposedLeaseId");
  throwIfAborted(options.signal, "change lease");
  await runOperation(
    leaseContext(target, "change lease", "write"),
    () => leaseClientOf(target, leaseId).changeLease(proposedLeaseId, sdkOptions(options)),
    explainLeaseError,
  );
}

export async function requestBreak(
  target: LeaseTarget,
  options: BreakLeaseOptions = {},
): Promise<BreakLeaseResult> {
  validateTarget(target);
  const period = validateBreakPeriod(options.breakPeriodSeconds);
  throwIfAborted(options.signal, "break lease");
  const response = await runOperation(
    leaseContext(target, "break lease", "write"),
    // The SDK sends no x-ms-lease-break-period header for `undefined`: the service default.
    () => leaseClientOf(target).breakLease(period as number, sdkOptions(options)),
    explainLeaseError,
  );
  return { remainingSeconds: response.leaseTime ?? 0 };
}
