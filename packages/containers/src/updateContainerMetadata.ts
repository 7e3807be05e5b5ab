// Read-modify-write of container metadata that tries again when someone else wrote in between.
import type { ContainerClient } from "@azure/storage-blob";
import {
  invalidArgument,
  isStorageError,
  type OperationOptions,
  StorageError,
} from "@blobkit/auth";
import { getContainerProperties } from "./getContainerProperties.js";
import { sleep } from "./internal/operation.js";
import { checkInteger, checkToken, startContainerOperation } from "./internal/validateOptions.js";
import { setContainerMetadata } from "./setContainerMetadata.js";
import { type Metadata, validateMetadata } from "./validateMetadata.js";

/** Options of {@link updateContainerMetadata}. */
export interface UpdateContainerMetadataOptions extends OperationOptions {
  /**
   * Total tries (read, update, conditional write) before failing with `PreconditionFailed`, 1-20.
   * @defaultValue 5
   */
  maxTries?: number;
  /** The container's active lease, if you hold one. */
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
 * Changes a container's metadata safely when others may change it too: reads the metadata and
 * ETag, calls `update` with a copy of the current entries, validates what it returns, and writes
 * it only if the ETag is unchanged (see {@link SetContainerMetadataOptions.ifMatch}). If another
 * writer got there first (412 `PreconditionFailed`), it reads again and calls `update` again, up
 * to `maxTries` times with a short random pause. `update` may therefore run more than once and
 * must not have side effects. The current names arrive lowercase (see
 * {@link ContainerProperties.metadata}); names are case-insensitive, so returning `Owner` next
 * to an existing `owner` is rejected as a duplicate.
 *
 * @example
 * ```ts
 * import { updateContainerMetadata } from "@blobkit/containers";
 *
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
  const maxTries = checkInteger(opts.maxTries, "maxTries", 1, 20) ?? 5;
  const leaseId = checkToken(opts.leaseId, "leaseId");
  const common = {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(leaseId ? { leaseId } : {}),
  };
  for (let tries = 1; ; tries++) {
    const current = await getContainerProperties(client, common);
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
    try {
      const written = await setContainerMetadata(client, next, {
        ...common,
        ifMatch: current.etag,
      });
      return { metadata: next, changed: true, ...written, tries };
    } catch (error) {
      if (!isStorageError(error, "PreconditionFailed")) throw error;
      if (tries >= maxTries) {
        throw new StorageError(
          "PreconditionFailed",
          `Update container metadata (container '${client.containerName}') gave up after ${tries} tries: another writer changed the container between each read and write. Try again later, or raise maxTries.`,
          { operation, tries, cause: error },
        );
      }
      // A short random pause, so two writers that collided do not collide again.
      await sleep(Math.round(20 + Math.random() * 80 * tries), opts.signal, operation);
    }
  }
}
