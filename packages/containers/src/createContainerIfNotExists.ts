// Create Container where "already exists" is success, reporting which of the two happened.
import type { BlobServiceClient } from "@azure/storage-blob";
import { withoutQuery } from "./internal/convert.js";
import { createContainerInternal } from "./internal/create.js";
import type { CreateContainerOptions } from "./types.js";

/** What {@link createContainerIfNotExists} returns. */
export interface CreateContainerIfNotExistsResult {
  /** `true` if this call created the container, `false` if it already existed. */
  created: boolean;
  /** The container name. */
  name: string;
  /** The container URL (without any SAS). */
  url: string;
  /** The new container's ETag, when this call created it. */
  etag?: string;
  /** When it was created, when this call created it. */
  lastModified?: Date;
}

/**
 * Creates a container unless it exists, and tells which happened (`created`). Use it at start-up
 * or in scripts that may run twice; use {@link createContainer} when an existing container means
 * something went wrong (e.g. a name clash between tenants). When the container exists, its
 * metadata and public access level are left as they are, not set to the given ones. Validation
 * and the wait while a container of the same name is being deleted are as in
 * {@link createContainer}.
 *
 * @see [Create a container: Create it only if it is missing](../../../apps/docs/guides/create-container.md#create-it-only-if-it-is-missing)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { createContainerIfNotExists } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * const { created } = await createContainerIfNotExists(service, "uploads");
 * console.log(created ? "created" : "already there");
 * ```
 */
export async function createContainerIfNotExists(
  service: BlobServiceClient,
  name: string,
  options?: CreateContainerOptions,
): Promise<CreateContainerIfNotExistsResult> {
  const outcome = await createContainerInternal(
    service,
    name,
    options,
    "create container if not exists",
    true,
  );
  return {
    created: outcome.created,
    name,
    url: withoutQuery(outcome.client.url),
    ...(outcome.etag ? { etag: outcome.etag } : {}),
    ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
  };
}
