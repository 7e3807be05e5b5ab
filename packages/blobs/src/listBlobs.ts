// List the blobs of a container, flat, lazily and page by page.

import type { BlobItem, ContainerClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { containerContext } from "@blobkit/auth/kit";
import { listOptions, normalizeItem } from "./internal/listing.js";
import { mapSdkPages, pagedIterable, sdkPageSettings, tokenOf } from "./internal/paging.js";
import type { PagedAsyncIterable } from "./PagedAsyncIterable.js";
import type { ListBlobsInclude } from "./types.js";

/** Options of {@link listBlobs}. */
export interface ListBlobsOptions extends OperationOptions {
  /** Only blobs whose name starts with this, e.g. `"reports/2024/"`. */
  prefix?: string;
  /**
   * Extra data to include with each blob. See {@link ListBlobsInclude}.
   * @defaultValue `[]`
   */
  include?: readonly ListBlobsInclude[];
}

/**
 * Lists the blobs of a container, flat (every blob under the prefix, whatever its "folder"), in
 * name order. Nothing is fetched until you iterate; each page is one request of up to 5,000 blobs,
 * so memory stays bounded. Iterate with `for await`, or use `byPage()` to work page by page and
 * resume from a continuation token.
 *
 * @see [List blobs](../../../apps/docs/guides/list-blobs.md)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { listBlobs } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * for await (const blob of listBlobs(container, { prefix: "reports/", include: ["metadata"] })) {
 *   console.log(blob.name, blob.properties.contentLength, blob.metadata);
 * }
 * ```
 */
export function listBlobs(
  container: ContainerClient,
  options: ListBlobsOptions = {},
): PagedAsyncIterable<BlobItem> {
  const sdk = listOptions(options);
  const context = containerContext(container, "list blobs", "list");
  return pagedIterable((settings) =>
    mapSdkPages(
      container.listBlobsFlat(sdk).byPage(sdkPageSettings(settings)),
      context,
      (page) => ({
        items: page.segment.blobItems.map(normalizeItem),
        continuationToken: tokenOf(page.continuationToken),
      }),
    ),
  );
}
