// The Lease object acquireLease returns; it also remembers when the lease was last renewed, which
// withLease needs to know how long the lease is surely alive.
import { isStorageError, type OperationOptions } from "@blobkit/auth";
import type {
  BreakLeaseOptions,
  BreakLeaseResult,
  Lease,
  LeaseDuration,
  LeaseJSON,
  LeaseTarget,
} from "../types.js";
import { describeTarget } from "./operation.js";
import { requestBreak, requestChange, requestRelease, requestRenew } from "./requests.js";

export class LeaseHandle implements Lease {
  readonly target: LeaseTarget;
  readonly durationSeconds: LeaseDuration;
  readonly acquiredAt: Date;
  /**
   * `performance.now()` when the last successful acquire or renew request was sent: the service
   * received it later, so a fixed lease lives at least `durationSeconds` from this moment.
   */
  renewedAt: number;
  #leaseId: string;

  constructor(
    target: LeaseTarget,
    leaseId: string,
    durationSeconds: LeaseDuration,
    renewedAt: number,
  ) {
    this.target = target;
    this.#leaseId = leaseId;
    this.durationSeconds = durationSeconds;
    this.renewedAt = renewedAt;
    this.acquiredAt = new Date();
  }

  get leaseId(): string {
    return this.#leaseId;
  }

  async renew(options?: OperationOptions): Promise<void> {
    const sentAt = performance.now();
    await requestRenew(this.target, this.#leaseId, options);
    this.renewedAt = sentAt;
  }

  async release(options?: OperationOptions): Promise<void> {
    await requestRelease(this.target, this.#leaseId, options);
  }

  async change(proposedLeaseId: string, options?: OperationOptions): Promise<void> {
    await requestChange(this.target, this.#leaseId, proposedLeaseId, options);
    this.#leaseId = proposedLeaseId;
  }

  break(options?: BreakLeaseOptions): Promise<BreakLeaseResult> {
    return requestBreak(this.target, options);
  }

  toJSON(): LeaseJSON {
    return {
      leaseId: this.#leaseId,
      target: describeTarget(this.target),
      durationSeconds: this.durationSeconds,
      acquiredAt: this.acquiredAt.toISOString(),
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.release();
    } catch (error) {
      if (!isLeaseGone(error)) throw error;
    }
  }
}

/** The lease is no longer ours: expired and taken, released, broken, or its target deleted. */
export function isLeaseGone(error: unknown): boolean {
  return isStorageError(error, "LeaseConflict", "PreconditionFailed", "NotFound");
}
