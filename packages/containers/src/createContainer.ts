// Create Container, with validation before any request and a bounded wait while Azure still
// deletes a container of the same name.
import type { BlobServiceClient } from "@azure/storage-blob";
import { withoutQuery } from "./internal/convert.js";
import { createContainerInternal } from "./internal/create.js";
import type { CreateContainerOptions } from "./types.js";

/** What {@link createContainer} returns. */
export interface CreateContainerResult {
  /** The container name. */
  name: string;
  /** The container URL (without any SAS). */
  url: string;
  /** The new container's ETag. */
  etag: string;
  /** When it was created. */
  lastModified: Date;
}

/**
 * Creates a container, with optional metadata and public access level. The name (3-63
 * characters: lowercase letters, digits and single hyphens, a letter or digit at both ends) and
 * the metadata are checked before any request, and a bad one fails with an `InvalidArgument`
 * {@link @blobkit/auth!StorageError} that says what is wrong. While Azure still deletes a
 * container of the same name (409 `ContainerBeingDeleted`), it waits and tries again, for up to
 * a minute by default. Fails with `AlreadyExists` if the container exists; use
 * {@link createContainerIfNotExists} when that is fine.
 *
 * @see [Create a container: Create a container](../../../apps/docs/guides/create-container.md#create-a-container)
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { createContainer } from "@blobkit/containers";
 *
 * const service = await connect({ method: "entra", accountUrl: "https://myaccount.blob.core.windows.net" });
 * const created = await createContainer(service, "reports-2024", {
 *   metadata: { owner: "finance" },
 * });
 * console.log(created.url, created.etag);
 * ```
 */
export async function createContainer(
  service: BlobServiceClient,
  name: string,
  options?: CreateContainerOptions,
): Promise<CreateContainerResult> {
  const outcome = await createContainerInternal(service, name, options, "create container", false);
  return {
    name,
    url: withoutQuery(outcome.client.url),
    etag: outcome.etag ?? "",
    lastModified: outcome.lastModified ?? new Date(),
  };
}
