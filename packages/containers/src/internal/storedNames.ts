// The stored case of a container's metadata names. Get Container Properties carries them as
// `x-ms-meta-*` headers, which Node.js lower-cases; List Containers (XML) keeps them as written.
// With `prefix` set to the container's name, that container is the first result: a string sorts
// before any longer string it is a prefix of. So one extra, one-item request restores the case.
import type { ContainerClient } from "@azure/storage-blob";
import { isStorageError } from "@blobkit/auth";
import {
  containerContext,
  restoreMetadataCase,
  runOperation,
  sdkOptions,
  serviceClientOf,
} from "@blobkit/auth/kit";
import type { Metadata } from "../types.js";
import { explainContainerError } from "./errors.js";

/**
 * `metadata` (from a Get Container Properties response) with its names in their stored case.
 * Empty metadata costs no request. A credential that may not list the account's containers (a
 * SAS for one container, an Entra ID role assigned on one container) gets 403, and a container
 * deleted meanwhile 404: then the names stay lower-case, as the properties response gave them.
 */
export async function withStoredCase(
  container: ContainerClient,
  metadata: Metadata,
  signal: AbortSignal | undefined,
): Promise<Metadata> {
  if (Object.keys(metadata).length === 0) return metadata;
  const service = serviceClientOf(container);
  if (!service) return metadata;
  const name = container.containerName;
  let names: string[] | undefined;
  try {
    names = await runOperation(
      containerContext(container, "list containers (for the case of metadata names)", "list"),
      async () => {
        const pages = service
          .listContainers({
            prefix: name,
            includeMetadata: true,
            ...sdkOptions(signal ? { signal } : {}),
          })
          .byPage({ maxPageSize: 1 });
        const first = await pages.next();
        const item = first.done ? undefined : first.value.containerItems[0];
        return item?.name === name ? Object.keys(item.metadata ?? {}) : undefined;
      },
      explainContainerError,
    );
  } catch (error) {
    if (isStorageError(error) && (error.statusCode === 403 || error.statusCode === 404)) {
      return metadata;
    }
    throw error;
  }
  return names ? restoreMetadataCase(metadata, names) : metadata;
}
