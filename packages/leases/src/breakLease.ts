// breakLease: end someone's lease without knowing its id, at once or after a grace period.
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions, throwIfAborted } from "@blobkit/auth/kit";
import { leaseClientOf, runLeaseOperation } from "./internal/operation.js";
import { validateBreakPeriod, validateTarget } from "./internal/validate.js";
import type { LeaseTarget } from "./Lease.js";

/** Options of {@link breakLease}. */
export interface BreakLeaseOptions extends OperationOptions {
  /**
   * Seconds (0-60) the holder keeps the lease before it ends; during that time the lease can be
   * neither renewed nor acquired, but writes with its id still succeed. The break never lasts
   * longer than the lease has left.
   * @defaultValue the time the lease has left: 0 for an infinite lease, the rest of the duration
   * for a fixed one
   */
  breakPeriodSeconds?: number;
}

/** What {@link breakLease} returns. */
export interface BreakLeaseResult {
  /** Seconds until the lease is broken; 0 means it is broken already and can be acquired. */
  remainingSeconds: number;
}

/**
 * Breaks the lease on a blob or container without needing its id: the way to take a lock back
 * from a process that crashed holding an infinite lease. After the break period the lease is
 * broken: its holder can no longer renew it or write with its id, and anyone can acquire a new
 * one. The break period (0-60 s) is checked before any request.
 *
 * @example
 * ```ts
 * const { remainingSeconds } = await breakLease(blob, { breakPeriodSeconds: 0 });
 * ```
 */
export async function breakLease(
  target: LeaseTarget,
  options: BreakLeaseOptions = {},
): Promise<BreakLeaseResult> {
  validateTarget(target);
  const period =
    options.breakPeriodSeconds === undefined
      ? undefined
      : validateBreakPeriod(options.breakPeriodSeconds);
  throwIfAborted(options.signal, "break lease");
  const response = await runLeaseOperation("break lease", target, "write", () =>
    // The SDK sends no x-ms-lease-break-period header for `undefined`: the service default.
    leaseClientOf(target).breakLease(period as number, sdkOptions(options)),
  );
  return { remainingSeconds: response.leaseTime ?? 0 };
}
