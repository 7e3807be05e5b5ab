// Get Container Properties, as a plain typed object.
import type { ContainerClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions } from "@blobkit/auth/kit";
import { toContainerProperties } from "./internal/convert.js";
import { containerContext, runContainerOperation } from "./internal/operation.js";
import { checkToken, startContainerOperation } from "./internal/validateOptions.js";
import type { Metadata } from "./validateMetadata.js";

/**
 * Who may read a container's data without authorization: `"none"` (private, the default),
 * `"blob"` (anyone may read blobs whose URL they know) or `"container"` (anyone may also list).
 */
export type PublicAccessLevel = "none" | "blob" | "container";

/** Whether a lease is held on the container (`"locked"`) or not. */
export type LeaseStatus = "locked" | "unlocked";

/** Where the container's lease is in its lifecycle. */
export type LeaseState = "available" | "leased" | "expired" | "breaking" | "broken";

/** Whether an active lease is infinite or of fixed duration (15-60 s). */
export type LeaseDuration = "infinite" | "fixed";

/** The system properties and metadata of a container. */
export interface ContainerProperties {
  /** The container name. */
  name: string;
  /** The container's ETag, quoted as the service sends it, e.g. `"0x8DC..."`. */
  etag: string;
  /** When the container or its properties, metadata or access policy last changed. */
  lastModified: Date;
  /** Whether a lease is held. */
  leaseStatus: LeaseStatus;
  /** The lease's state. */
  leaseState: LeaseState;
  /** Infinite or fixed, when a lease is held. */
  leaseDuration?: LeaseDuration;
  /** Who may read without authorization. */
  publicAccess: PublicAccessLevel;
  /** Whether a container-level immutability (WORM) policy exists. */
  hasImmutabilityPolicy: boolean;
  /** Whether a legal hold is set. */
  hasLegalHold: boolean;
  /** Whether version-level immutability is enabled. */
  immutableStorageWithVersioning: boolean;
  /** The default encryption scope for new blobs, if one is set. */
  defaultEncryptionScope?: string;
  /** Whether blobs must use the default encryption scope. */
  preventEncryptionScopeOverride?: boolean;
  /**
   * User metadata. In Node.js the names come back lowercase (HTTP header names are
   * case-insensitive and Node lowercases them); Azure compares names ignoring case, so this never
   * changes which entry is meant. `listContainers` with `includeMetadata` keeps their case.
   */
  metadata: Metadata;
}

/** Options of {@link getContainerProperties}. */
export interface GetContainerPropertiesOptions extends OperationOptions {
  /** Read only if this lease is the container's active lease (otherwise 412). */
  leaseId?: string;
}

/**
 * Reads a container's system properties and metadata in one request (Get Container Properties)
 * and returns them as a plain object: ETag, last modified time, lease status, state and
 * duration, public access level, immutability and legal hold flags, encryption scope and
 * metadata. Fails with a `NotFound` {@link @blobkit/auth!StorageError} if the container does not
 * exist.
 *
 * @example
 * ```ts
 * import { getContainerProperties } from "@blobkit/containers";
 *
 * const props = await getContainerProperties(service.getContainerClient("reports"));
 * console.log(props.etag, props.lastModified, props.publicAccess, props.metadata);
 * ```
 */
export async function getContainerProperties(
  container: ContainerClient,
  options?: GetContainerPropertiesOptions,
): Promise<ContainerProperties> {
  const operation = "get container properties";
  const checked = startContainerOperation(container, options, operation);
  const opts = checked.options;
  const client = checked.container;
  checkToken(opts.leaseId, "leaseId");
  const response = await runContainerOperation(containerContext(operation, client, "read"), () =>
    client.getProperties({
      ...sdkOptions(opts),
      ...(opts.leaseId ? { conditions: { leaseId: opts.leaseId } } : {}),
    }),
  );
  return toContainerProperties(client.containerName, response);
}
