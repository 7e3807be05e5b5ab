// The requests on a lease someone holds: renew, release, change and break, each checked before
// it is sent. The public functions of the same names and the Lease object of acquireLease both
// send them through here.
import type { OperationOptions } from "@blobkit/auth";
import { runOperation, sdkOptions, throwIfAborted } from "@blobkit/auth/kit";
import type { BreakLeaseOptions, BreakLeaseResult, LeaseTarget } from "../types.js";
import { explainLeaseError, leaseClientOf, leaseContext } from "./operation.js";
import { validateBreakPeriod, validateLeaseId, validateTarget } from "./validate.js";

type HeldLeaseClient = ReturnType<typeof leaseClientOf>;

/** One request on a held lease: the target and lease ID checked, then sent, its error explained. */
async function requestOnHeldLease(
  operation: "renew lease" | "release lease" | "change lease",
  target: LeaseTarget,
  leaseId: string,
  options: OperationOptions,
  send: (client: HeldLeaseClient, sdk: ReturnType<typeof sdkOptions>) => Promise<unknown>,
  checkMore: () => void = () => {},
): Promise<void> {
  validateTarget(target);
  validateLeaseId(leaseId);
  checkMore();
  throwIfAborted(options.signal, operation);
  await runOperation(
    leaseContext(target, operation, "write"),
    () => send(leaseClientOf(target, leaseId), sdkOptions(options)),
    explainLeaseError,
  );
}

export function requestRenew(
  target: LeaseTarget,
  leaseId: string,
  options: OperationOptions = {},
): Promise<void> {
  return requestOnHeldLease("renew lease", target, leaseId, options, (client, sdk) =>
    client.renewLease(sdk),
  );
}

export function requestRelease(
  target: LeaseTarget,
  leaseId: string,
  options: OperationOptions = {},
): Promise<void> {
  return requestOnHeldLease("release lease", target, leaseId, options, (client, sdk) =>
    client.releaseLease(sdk),
  );
}

export function requestChange(
  target: LeaseTarget,
  leaseId: string,
  proposedLeaseId: string,
  options: OperationOptions = {},
): Promise<void> {
  return requestOnHeldLease(
    "change lease",
    target,
    leaseId,
    options,
    (client, sdk) => client.changeLease(proposedLeaseId, sdk),
    () => validateLeaseId(proposedLeaseId, "proposedLeaseId"),
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
