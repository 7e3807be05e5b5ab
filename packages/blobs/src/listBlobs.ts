// List the blobs of a container, flat, lazily and page by page.

import type { BlobItem, ContainerClient, ContainerListBlobsOptions } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { describeValue, invalidArgument, sdkOptions } from "@blobkit/auth/kit";
import { containerContext } from "./internal/errors.js";
import { mapSdkPages, pagedIterable, sdkPageSettings, tokenOf } from "./internal/paging.js";
import type { PagedAsyncIterable } from "./PagedAsyncIterable.js";

/**
 * Extra data a listing can include, each at some cost:
 * - `metadata`: user metadata of each blob;
 * - `tags`: index tags of each blob;
 * - `snapshots`: snapshots, as separate items with their `snapshot` time;
 * - `versions`: previous versions (accounts with versioning), with `versionId`;
 * - `deleted`: soft-deleted blobs (accounts with soft delete), with `deleted: true`;
 * - `uncommitted`: blobs whose blocks are staged but not committed yet;
 * - `copy`: the status of the last copy into each blob.
 */
export type ListBlobsInclude =
  | "metadata"
  | "tags"
  | "snapshots"
  | "versions"
  | "deleted"
  | "uncommitted"
  | "copy";

const INCLUDE_OPTION: Record<ListBlobsInclude, keyof ContainerListBlobsOptions> = {
  metadata: "includeMetadata",
  tags: "includeTags",
  snapshots: "includeSnapshots",
  versions: "includeVersions",
  deleted: "includeDeleted",
  uncommitted: "includeUncommitedBlobs",
  copy: "includeCopy",
};

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

/** Checks `prefix` and `include` and returns the SDK's listing options. */
export function listOptions(options: ListBlobsOptions): ContainerListBlobsOptions {
  const { prefix, include = [] } = options;
  if (prefix !== undefined && typeof prefix !== "string") {
    throw invalidArgument("prefix", "must be a string");
  }
  if (!Array.isArray(include)) {
    throw invalidArgument("include", 'must be an array, e.g. ["metadata", "tags"]');
  }
  const result: ContainerListBlobsOptions = { ...sdkOptions(options) };
  if (prefix) result.prefix = prefix;
  for (const item of include) {
    const option =
      typeof item === "string" && Object.hasOwn(INCLUDE_OPTION, item)
        ? INCLUDE_OPTION[item as ListBlobsInclude]
        : undefined;
    if (!option) {
      throw invalidArgument(
        "include",
        `${describeValue(item)} is not one of ${Object.keys(INCLUDE_OPTION).join(", ")}`,
      );
    }
    (result as Record<string, unknown>)[option] = true;
  }
  return result;
}

/** Makes the SDK's item honest to its type: `deleted` and `snapshot` are absent when not listed. */
export function normalizeItem(item: BlobItem): BlobItem {
  return { ...item, deleted: item.deleted === true, snapshot: item.snapshot ?? "" };
}

/**
 * Lists the blobs of a container, flat (every blob under the prefix, whatever its "folder"), in
 * name order. Nothing is fetched until you iterate; each page is one request of up to 5,000 blobs,
 * so memory stays bounded. Iterate with `for await`, or use `byPage()` to work page by page and
 * resume from a continuation token.
 *
 * @example
 * ```ts
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
