// runAsLeader: leader election on a blob lease, in a few lines over withLease.
import type { BlobClient } from "@azure/storage-blob";
import { isStorageError, type OperationOptions, type StorageError } from "@blobkit/auth";
import { invalidArgument, runOperation } from "@blobkit/auth/kit";
import { isBlobTarget, leaseContext } from "./internal/operation.js";
import { validateLeaseDuration, validateTarget } from "./internal/validate.js";
import { isLeaseLost } from "./isLeaseLost.js";
import type { LeaseTarget } from "./types.js";
import { type HeldLease, withLease } from "./withLease.js";

/** Options of {@link runAsLeader}. */
export interface RunAsLeaderOptions extends OperationOptions {
  /**
   * Lease duration, 15-60 s: how long the others wait before taking over from a leader that
   * crashed. An infinite lease is refused: a crashed leader would keep leadership forever.
   * @defaultValue 15
   */
  durationSeconds?: number;
  /**
   * How often the leader renews its lease, in milliseconds.
   * @defaultValue a third of the duration
   */
  renewIntervalMs?: number;
  /**
   * Longest wait between two attempts of a candidate to become leader.
   * @defaultValue 5000
   */
  maxRetryDelayMs?: number;
  /**
   * Create the lock blob (empty) if it does not exist yet. Only for blob targets.
   * @defaultValue true
   */
  createIfNotExists?: boolean;
  /** Called when leadership is lost, before campaigning again. Must not throw. */
  onLeadershipLost?: (error: StorageError) => void;
}

/**
 * Leader election: campaigns for a lease on `target` until it gets it, then runs `fn` as the
 * leader. When leadership is lost (the lease was broken, or could not be renewed), `fn`'s
 * `lease.signal` fires; once `fn` settles, the candidate campaigns again and runs `fn` anew when
 * elected. It resolves with `fn`'s value when `fn` returns (leadership is then released, so
 * another candidate takes over at once), and rejects when `fn` throws for another reason or the
 * caller's `signal` aborts (`Aborted`). Writes that only the leader may make must carry
 * `conditions: { leaseId: lease.leaseId }`. By default the lock blob is created when missing.
 *
 * @see [Use a blob lease as a distributed lock: Elect a leader](../../../apps/docs/guides/lease-lock.md#elect-a-leader)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { runAsLeader } from "@blobkit/leases";
 *
 * declare const lockBlob: BlobClient;
 * declare function runScheduledJobs(options: { signal: AbortSignal }): Promise<void>;
 * const shutdown = new AbortController();
 * process.once("SIGTERM", () => shutdown.abort());
 * await runAsLeader(lockBlob, async (lease) => {
 *   while (!lease.signal.aborted) {
 *     await runScheduledJobs({ signal: lease.signal });
 *   }
 * }, { signal: shutdown.signal });
 * ```
 */
export async function runAsLeader<T>(
  target: LeaseTarget,
  fn: (lease: HeldLease) => T | Promise<T>,
  options: RunAsLeaderOptions = {},
): Promise<T> {
  validateTarget(target);
  if (options.durationSeconds !== undefined) {
    if ((options.durationSeconds as unknown) === "infinite") {
      throw invalidArgument(
        "durationSeconds",
        "must be 15-60 seconds: with an infinite lease a crashed leader would keep leadership forever",
      );
    }
    validateLeaseDuration(options.durationSeconds);
  }
  const { createIfNotExists = true, onLeadershipLost, maxRetryDelayMs, ...rest } = options;
  let created = false;
  for (;;) {
    try {
      return await withLease(target, fn, {
        ...rest,
        wait: {
          timeoutMs: Number.POSITIVE_INFINITY,
          ...(maxRetryDelayMs !== undefined ? { maxRetryDelayMs } : {}),
        },
      });
    } catch (error) {
      if (isLeaseLost(error) && !options.signal?.aborted) {
        onLeadershipLost?.(error);
        continue;
      }
      if (
        createIfNotExists &&
        !created &&
        isBlobTarget(target) &&
        isStorageError(error, "NotFound") &&
        error.serviceCode === "BlobNotFound"
      ) {
        await createLockBlob(target, options.signal);
        created = true;
        continue;
      }
      throw error;
    }
  }
}

async function createLockBlob(blob: BlobClient, signal: AbortSignal | undefined): Promise<void> {
  try {
    await runOperation(leaseContext(blob, "create lock blob", "create"), () =>
      blob.getBlockBlobClient().upload("", 0, {
        conditions: { ifNoneMatch: "*" },
        ...(signal ? { abortSignal: signal } : {}),
      }),
    );
  } catch (error) {
    // Another candidate created it first (and may hold a lease on it already): fine.
    if (!isStorageError(error, "AlreadyExists", "PreconditionFailed", "LeaseConflict")) throw error;
  }
}
