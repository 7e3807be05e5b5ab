// List one level of a container's virtual directories: prefixes and blobs, lazily and by page.

import type { BlobItem, ContainerClient } from "@azure/storage-blob";
import { containerContext, invalidArgument } from "@blobkit/auth/kit";
import { listOptions, mergeByName, normalizeItem } from "./internal/listing.js";
import { mapSdkPages, pagedIterable, sdkPageSettings, tokenOf } from "./internal/paging.js";
import type { ListBlobsOptions } from "./listBlobs.js";
import type { PagedAsyncIterable } from "./PagedAsyncIterable.js";

/** A virtual directory: the common prefix of blobs up to and including the delimiter. */
export interface BlobPrefixItem {
  readonly kind: "prefix";
  /** The prefix, ending with the delimiter, e.g. `"reports/2024/"`. */
  readonly name: string;
}

/** A blob in a hierarchical listing: the SDK's `BlobItem` with `kind: "blob"`. */
export interface BlobHierarchyBlobItem extends BlobItem {
  readonly kind: "blob";
}

/** What a hierarchical listing yields: virtual directories and blobs, told apart by `kind`. */
export type BlobHierarchyItem = BlobPrefixItem | BlobHierarchyBlobItem;

/** Options of {@link listBlobsByHierarchy}. */
export interface ListBlobsByHierarchyOptions extends ListBlobsOptions {
  /**
   * The character (or string) that separates virtual directories.
   * @defaultValue `"/"`
   */
  delimiter?: string;
}

/**
 * Lists one level of a container as virtual directories: the blobs directly under `prefix` and
 * the prefixes ("folders") that lead deeper, in name order, each with a `kind`. Pass a prefix
 * ending with the delimiter (e.g. `"reports/"`) to list inside a folder. Lazy and paged like
 * {@link listBlobs}; to walk the whole tree, use {@link walkBlobs}.
 *
 * @see [List blobs: List one folder: virtual directories](../../../apps/docs/guides/list-blobs.md#list-one-folder-virtual-directories)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { listBlobsByHierarchy } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * for await (const item of listBlobsByHierarchy(container, { prefix: "reports/" })) {
 *   console.log(item.kind === "prefix" ? `[dir] ${item.name}` : item.name);
 * }
 * ```
 */
export function listBlobsByHierarchy(
  container: ContainerClient,
  options: ListBlobsByHierarchyOptions = {},
): PagedAsyncIterable<BlobHierarchyItem> {
  const { delimiter = "/" } = options;
  if (typeof delimiter !== "string" || delimiter === "") {
    throw invalidArgument("delimiter", 'must be a non-empty string, e.g. "/"');
  }
  const sdk = listOptions(options);
  const context = containerContext(container, "list blobs", "list");
  return pagedIterable((settings) =>
    mapSdkPages(
      container.listBlobsByHierarchy(delimiter, sdk).byPage(sdkPageSettings(settings)),
      context,
      (page) => {
        const prefixes: BlobHierarchyItem[] = (page.segment.blobPrefixes ?? []).map((p) => ({
          kind: "prefix",
          name: p.name,
        }));
        const blobs: BlobHierarchyItem[] = page.segment.blobItems.map((b) => ({
          ...normalizeItem(b),
          kind: "blob",
        }));
        return {
          // The service returns each list in name order: a merge, not a sort.
          items: mergeByName(prefixes, blobs),
          continuationToken: tokenOf(page.continuationToken),
        };
      },
    ),
  );
}
