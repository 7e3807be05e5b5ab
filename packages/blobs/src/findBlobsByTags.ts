// Find blobs by index tags, across an account or in one container, lazily and page by page.

import type { BlobServiceClient, ContainerClient, FilterBlobItem } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { containerContext, invalidArgument, sdkOptions } from "@blobkit/auth/kit";
import { mapSdkPages, pagedIterable, sdkPageSettings, tokenOf } from "./internal/paging.js";
import { tagsOf } from "./internal/tags.js";
import type { PagedAsyncIterable } from "./PagedAsyncIterable.js";
import { TagQuery } from "./rules/tagQuery.js";
import type { Tags } from "./rules/validateTags.js";

/** A blob found by {@link findBlobsByTags}. */
export interface TaggedBlob {
  /** The blob's name. */
  name: string;
  /** The container it is in. */
  containerName: string;
  /** The blob's tags that the query named (the service returns only those). */
  tags: Tags;
}

/** Options of {@link findBlobsByTags}. */
export interface FindBlobsByTagsOptions extends OperationOptions {}

function isContainerClient(target: BlobServiceClient | ContainerClient): target is ContainerClient {
  return typeof (target as { containerName?: unknown }).containerName === "string";
}

function expressionOf(query: TagQuery | string, inContainer: boolean): string {
  if (query instanceof TagQuery) {
    if (inContainer && query.container !== undefined) {
      throw invalidArgument(
        "query",
        "uses inContainer() but is run on a container client; drop inContainer(), or run it on the service client",
      );
    }
    return query.toString();
  }
  if (typeof query !== "string" || query.trim() === "") {
    throw invalidArgument("query", "must be a tagQuery() or a non-empty expression");
  }
  return query;
}

/**
 * Finds blobs whose index tags match a query, across the whole account (given a
 * `BlobServiceClient`) or in one container (given a `ContainerClient`). Build the query with
 * {@link tagQuery}, which quotes keys and values correctly. Results are fetched lazily, one page
 * per request; the page size is left to the service unless you pass `maxPageSize` to `byPage()`.
 * The index is updated asynchronously, so a blob tagged a moment ago may not be found yet. Needs
 * the SAS permission `f` or the role Storage Blob Data Owner.
 *
 * @see [Find blobs using tags: Find blobs in the account](../../../apps/docs/guides/find-blobs-by-tags.md#find-blobs-in-the-account)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { findBlobsByTags, tagQuery } from "@blobkit/blobs";
 *
 * declare const service: BlobServiceClient;
 * const query = tagQuery().where("project", "=", "apollo").and("status", "=", "final");
 * for await (const blob of findBlobsByTags(service, query)) {
 *   console.log(`${blob.containerName}/${blob.name}`, blob.tags);
 * }
 * ```
 */
export function findBlobsByTags(
  target: BlobServiceClient | ContainerClient,
  query: TagQuery | string,
  options: FindBlobsByTagsOptions = {},
): PagedAsyncIterable<TaggedBlob> {
  const inContainer = isContainerClient(target);
  const expression = expressionOf(query, inContainer);
  const context = inContainer
    ? containerContext(target, "find blobs by tags", "filter")
    : { operation: "find blobs by tags", client: target, access: "filter" as const };
  const toItem = (item: FilterBlobItem): TaggedBlob => ({
    name: item.name,
    containerName: item.containerName,
    tags: tagsOf(undefined, item.tags),
  });
  return pagedIterable((settings) => {
    // Never send a page size the caller did not ask for: some servers (Azurite) apply it before
    // filtering and lose matches.
    const pages = target
      .findBlobsByTags(expression, sdkOptions(options))
      .byPage(sdkPageSettings(settings));
    return mapSdkPages(pages, context, (page) => ({
      items: page.blobs.map(toItem),
      continuationToken: tokenOf(page.continuationToken),
    }));
  });
}
