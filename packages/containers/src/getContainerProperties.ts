// Get Container Properties, as a plain typed object.
import type { ContainerClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { checkHeaderValue, containerContext, runOperation, sdkOptions } from "@blobkit/auth/kit";
import { toContainerProperties } from "./internal/convert.js";
import { explainContainerError } from "./internal/errors.js";
import { withStoredCase } from "./internal/storedNames.js";
import { startContainerOperation } from "./internal/validateOptions.js";
import type { ContainerProperties } from "./types.js";

/** Options of {@link getContainerProperties}. */
export interface GetContainerPropertiesOptions extends OperationOptions {
  /** Read only if this lease is the container's active lease (otherwise 412). */
  leaseId?: string;
}

/**
 * Reads a container's system properties and metadata (Get Container Properties) and returns them
 * as a plain object: ETag, last modified time, lease status, state and duration, public access
 * level, immutability and legal hold flags, encryption scope and metadata. Metadata names come
 * back as stored (`ReviewedBy`): Node.js lower-cases the response's header names, so when there
 * is metadata a second request (List Containers for this one name) recovers their case; a
 * credential that may not list containers (a SAS or role scoped to one container) gets them in
 * lower case instead. Fails with a `NotFound` {@link @blobkit/auth!StorageError} if the container
 * does not exist.
 *
 * @see [Manage container properties and metadata: Read the properties](../../../apps/docs/guides/container-properties-metadata.md#read-the-properties)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { getContainerProperties } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
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
  checkHeaderValue("leaseId", opts.leaseId);
  const response = await runOperation(
    containerContext(client, operation, "read"),
    () =>
      client.getProperties({
        ...sdkOptions(opts),
        ...(opts.leaseId ? { conditions: { leaseId: opts.leaseId } } : {}),
      }),
    explainContainerError,
  );
  const properties = toContainerProperties(client.containerName, response);
  return {
    ...properties,
    metadata: await withStoredCase(client, properties.metadata, opts.signal),
  };
}
