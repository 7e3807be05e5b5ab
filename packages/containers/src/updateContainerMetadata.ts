// Read-modify-write of container metadata that tries again when someone else wrote in between.
import type { ContainerClient } from "@azure/storage-blob";
import { isStorageError, type OperationOptions, StorageError } from "@blobkit/auth";
import {
  abortedError,
  checkHeaderValue,
  checkInteger,
  containerContext,
  invalidArgument,
  randomUuid,
  runOperation,
  sdkOptions,
  sleep,
} from "@blobkit/auth/kit";
import { getContainerProperties } from "./getContainerProperties.js";
import { explainContainerError } from "./internal/errors.js";
import { startContainerOperation } from "./internal/validateOptions.js";
import { validateMetadata } from "./rules/validateMetadata.js";
import { setContainerMetadata } from "./setContainerMetadata.js";
import type { Metadata } from "./types.js";

/** Options of {@link updateContainerMetadata}. */
export interface UpdateContainerMetadataOptions extends OperationOptions {
  /**
   * Total tries (read, update, conditional write) before failing with `PreconditionFailed`, 1-20.
   * @defaultValue 5
   */
  maxTries?: number;
  /**
   * The container's active lease, if you hold one: the update then runs under it. Without it,
   * each try takes a short (15 s) container lease of its own.
   */
  leaseId?: string;
}

/** What {@link updateContainerMetadata} returns. */
export interface UpdateContainerMetadataResult {
  /** The metadata now stored (the update's result). */
  metadata: Metadata;
  /** Whether anything was written: `false` when the update returned the same entries. */
  changed: boolean;
  /** The container's ETag after the update. */
  etag: string;
  /** The container's last-modified time after the update. */
  lastModified: Date;
  /** How many tries it took, from 1. */
  tries: number;
}

/** The function that computes the new metadata from the current one. */
export type MetadataUpdate = (current: Metadata) => Metadata | Promise<Metadata>;

function sameEntries(a: Metadata, b: Metadata): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
  );
}

/**
 * Changes a container's metadata safely when others may change it too: takes a short (15 s)
 * container lease (or uses yours, `leaseId`), reads the metadata and ETag, calls `update` with a
 * copy of the current entries, validates what it returns, and writes it only if the ETag is
 * unchanged (see {@link SetContainerMetadataOptions.ifMatch}), then releases the lease. Azure's
 * Set Container Metadata accepts no `If-Match`, so the lease is what keeps two concurrent
 * updates from overwriting each other; the ETag check still catches writers that take no lease.
 * If another writer got there first (its lease is held, or the ETag changed), it pauses briefly
 * and tries again, reading again and calling `update` again, up to `maxTries` times. `update`
 * may therefore run more than once and must not have side effects. A container held under
 * someone else's infinite lease fails at once with `LeaseConflict`: pass that lease's id. The
 * current names arrive as stored (`ReviewedBy`, see {@link getContainerProperties}), so the
 * names `update` leaves alone keep their case; names are case-insensitive, so returning `Owner`
 * next to an existing `owner` is rejected as a duplicate.
 *
 * @see [Manage container properties and metadata: Update some entries, keep the others](../../../apps/docs/guides/container-properties-metadata.md#update-some-entries-keep-the-others)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { updateContainerMetadata } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * await updateContainerMetadata(service.getContainerClient("reports"), (current) => ({
 *   ...current,
 *   reviewed: new Date().toISOString().slice(0, 10),
 * }));
 * ```
 */
export async function updateContainerMetadata(
  container: ContainerClient,
  update: MetadataUpdate,
  options?: UpdateContainerMetadataOptions,
): Promise<UpdateContainerMetadataResult> {
  const operation = "update container metadata";
  const { container: client, options: opts } = startContainerOperation(
    container,
    options,
    operation,
  );
  if (typeof update !== "function") {
    throw invalidArgument("update", "must be a function that returns the new metadata");
  }
  const maxTries = checkInteger("maxTries", opts.maxTries, { min: 1, max: 20 }, 5);
  const leaseId = checkHeaderValue("leaseId", opts.leaseId);
  const common = {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(leaseId ? { leaseId } : {}),
  };
  for (let tries = 1; ; tries++) {
    const ownLease = leaseId ? undefined : await acquireShortLease(client, opts.signal);
    try {
      if (ownLease === null) {
        // Another updater holds the lease; give up at once if it is no updater's short lease.
        const held = await getContainerProperties(client, common);
        if (held.leaseDuration === "infinite") {
          throw new StorageError(
            "LeaseConflict",
            `Update container metadata (container '${client.containerName}') failed: the container has an infinite lease held by someone else. Pass its leaseId to update under it, or release it.`,
            { operation, tries },
          );
        }
        throw new StorageError(
          "PreconditionFailed",
          "the container's lease is held by another writer",
          {
            operation,
          },
        );
      }
      const underLease = { ...common, ...(ownLease ? { leaseId: ownLease.leaseId } : {}) };
      const current = await getContainerProperties(client, underLease);
      const next = validateMetadata(await update({ ...current.metadata }), "metadata");
      if (sameEntries(next, current.metadata)) {
        return {
          metadata: next,
          changed: false,
          etag: current.etag,
          lastModified: current.lastModified,
          tries,
        };
      }
      const written = await setContainerMetadata(client, next, {
        ...underLease,
        ifMatch: current.etag,
      });
      return { metadata: next, changed: true, ...written, tries };
    } catch (error) {
      if (!isStorageError(error, "PreconditionFailed")) throw error;
      if (tries >= maxTries) {
        throw new StorageError(
          "PreconditionFailed",
          `Update container metadata (container '${client.containerName}') gave up after ${tries} tries: another writer changed the container, or held its lease, at each try. Try again later, or raise maxTries.`,
          { operation, tries, cause: error },
        );
      }
    } finally {
      // If the release fails, the lease expires by itself within 15 s.
      await ownLease?.release().catch(() => {});
    }
    // A short random pause, so two writers that collided do not collide again.
    await sleep(Math.round(20 + Math.random() * 80 * tries), opts.signal, () =>
      abortedError(operation),
    );
  }
}

/** A container lease this function took, to release when the try ends. */
interface ShortLease {
  leaseId: string;
  release(): Promise<unknown>;
}

/** Seconds of the lease each try takes: the shortest Azure allows, in case the process dies. */
const SHORT_LEASE_SECONDS = 15;

/**
 * Acquires a 15 s lease on the container, or returns `null` when another client holds one
 * (409 `LeaseAlreadyPresent`).
 */
async function acquireShortLease(
  client: ContainerClient,
  signal: AbortSignal | undefined,
): Promise<ShortLease | null> {
  const leaseClient = client.getBlobLeaseClient(randomUuid());
  const context = containerContext(client, "acquire container lease", "write");
  try {
    await runOperation(
      context,
      () =>
        leaseClient.acquireLease(
          SHORT_LEASE_SECONDS,
          sdkOptions({ ...(signal ? { signal } : {}) }),
        ),
      explainContainerError,
    );
  } catch (error) {
    if (isStorageError(error, "LeaseConflict") && error.statusCode === 409) return null;
    throw error;
  }
  return {
    leaseId: leaseClient.leaseId,
    release: () =>
      runOperation(
        containerContext(client, "release container lease", "write"),
        () => leaseClient.releaseLease(),
        explainContainerError,
      ),
  };
}
