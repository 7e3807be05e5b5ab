// @blobkit/leases: blob and container leases, withLease (an auto-renewing distributed lock) and
// leader election.

export { acquireLease } from "./acquireLease.js";
export { breakLease } from "./breakLease.js";
export type { ChangeLeaseOptions } from "./changeLease.js";
export { changeLease } from "./changeLease.js";
export type {
  GetLeaseStateOptions,
  GetLeaseStateResult,
  LeaseDurationType,
  LeaseState,
  LeaseStatus,
} from "./getLeaseState.js";
export { getLeaseState } from "./getLeaseState.js";
export { isLeaseLost } from "./isLeaseLost.js";
export type { ReleaseLeaseOptions } from "./releaseLease.js";
export { releaseLease } from "./releaseLease.js";
export type { RenewLeaseOptions } from "./renewLease.js";
export { renewLease } from "./renewLease.js";
export type { RunAsLeaderOptions } from "./runAsLeader.js";
export { runAsLeader } from "./runAsLeader.js";
export type {
  AcquireLeaseOptions,
  BreakLeaseOptions,
  BreakLeaseResult,
  Lease,
  LeaseDuration,
  LeaseJSON,
  LeaseTarget,
  WaitForLeaseOptions,
} from "./types.js";
export type { HeldLease, WithLeaseOptions } from "./withLease.js";
export { DEFAULT_RELEASE_TIMEOUT_MS, withLease } from "./withLease.js";
