// List Containers as an async iterable, with byPage() and continuation tokens for UIs that page.
import type { BlobServiceClient, ContainerItem } from "@azure/storage-blob";
import { type OperationOptions, toStorageError } from "@blobkit/auth";
import { checkInteger, invalidArgument, sdkOptions, throwIfAborted } from "@blobkit/auth/kit";
import { publicAccessOf } from "./internal/convert.js";
import { checkOptions, checkPrefix, checkService } from "./internal/validateOptions.js";
import type { ContainerProperties, Metadata } from "./types.js";

/** Largest page the service returns. */
export const MAX_LIST_PAGE_SIZE = 5000;

/** Options of {@link listContainers}. */
export interface ListContainersOptions extends OperationOptions {
  /** Only containers whose name starts with this. */
  prefix?: string;
  /**
   * Return each container's metadata (names keep their case).
   * @defaultValue false
   */
  includeMetadata?: boolean;
  /**
   * Also return soft-deleted containers (`deleted: true`, with `version`, `deletedOn` and
   * `remainingRetentionDays`), which {@link restoreContainer} can bring back.
   * @defaultValue false
   */
  includeDeleted?: boolean;
  /**
   * Also return system containers such as `$logs` and `$web`.
   * @defaultValue false
   */
  includeSystem?: boolean;
  /**
   * Containers per request, 1-5000. The service may return fewer (and then a continuation token).
   * @defaultValue the service's default, 5000
   */
  pageSize?: number;
}

/** A container as the listing describes it. */
export interface ContainerListItem extends Omit<ContainerProperties, "metadata"> {
  /** User metadata, only with `includeMetadata`. */
  metadata?: Metadata;
  /** Whether this entry is a soft-deleted container (only with `includeDeleted`). */
  deleted: boolean;
  /** For a deleted container: the version to pass to {@link restoreContainer}. */
  version?: string;
  /** For a deleted container: when it was deleted. */
  deletedOn?: Date;
  /** For a deleted container: days left before it is deleted for good. */
  remainingRetentionDays?: number;
}

/** Where {@link ContainerListing.byPage} starts and how big its pages are. */
export interface ListContainersPageSettings {
  /** The `continuationToken` of the previous page; leave out for the first page. */
  continuationToken?: string;
  /** Containers per request, 1-5000; defaults to the listing's `pageSize`. */
  maxPageSize?: number;
}

/** One page of a container listing. */
export interface ContainerPage {
  /** The containers of this page (possibly none, even when more follow). */
  items: ContainerListItem[];
  /** Pass to `byPage({ continuationToken })` for the next page; absent on the last page. */
  continuationToken?: string;
}

/** The result of {@link listContainers}: iterate it with `for await`, or page with `byPage`. */
export interface ContainerListing extends AsyncIterableIterator<ContainerListItem> {
  /** Iterates page by page, from `continuationToken` if given. */
  byPage(settings?: ListContainersPageSettings): AsyncIterableIterator<ContainerPage>;
}

function toListItem(item: ContainerItem): ContainerListItem {
  const p = item.properties;
  return {
    name: item.name,
    etag: p.etag,
    lastModified: p.lastModified,
    leaseStatus: p.leaseStatus ?? "unlocked",
    leaseState: p.leaseState ?? "available",
    ...(p.leaseDuration ? { leaseDuration: p.leaseDuration } : {}),
    publicAccess: publicAccessOf(p.publicAccess),
    hasImmutabilityPolicy: p.hasImmutabilityPolicy ?? false,
    hasLegalHold: p.hasLegalHold ?? false,
    immutableStorageWithVersioning: p.isImmutableStorageWithVersioningEnabled ?? false,
    ...(p.defaultEncryptionScope ? { defaultEncryptionScope: p.defaultEncryptionScope } : {}),
    ...(p.preventEncryptionScopeOverride !== undefined
      ? { preventEncryptionScopeOverride: p.preventEncryptionScopeOverride }
      : {}),
    ...(item.metadata ? { metadata: { ...item.metadata } } : {}),
    deleted: item.deleted === true,
    ...(item.version ? { version: item.version } : {}),
    ...(p.deletedOn ? { deletedOn: p.deletedOn } : {}),
    ...(p.remainingRetentionDays !== undefined
      ? { remainingRetentionDays: p.remainingRetentionDays }
      : {}),
  };
}

/**
 * Lists the account's containers as an async iterable: `for await (const c of listContainers(service))`.
 * Requests are made page by page as you iterate, so a large account is never loaded at once.
 * Filter by `prefix`, include metadata, soft-deleted or system containers, and set the page size.
 * For UIs that page, `byPage({ continuationToken, maxPageSize })` yields pages with a
 * `continuationToken` to resume from later, even in another process. Options are checked when
 * you call it, before any request; failures while iterating are
 * {@link @blobkit/auth!StorageError}s.
 *
 * @see [List containers](../../../apps/docs/guides/list-containers.md)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { listContainers } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * for await (const container of listContainers(service, { prefix: "logs-", includeMetadata: true })) {
 *   console.log(container.name, container.lastModified, container.metadata);
 * }
 *
 * // One page at a time, resuming from a token kept by the UI:
 * const page = await listContainers(service).byPage({ maxPageSize: 20 }).next();
 * console.log(page.value?.items, page.value?.continuationToken);
 * ```
 */
export function listContainers(
  service: BlobServiceClient,
  options?: ListContainersOptions,
): ContainerListing {
  const operation = "list containers";
  const svc = checkService(service, operation);
  const opts = checkOptions(options);
  const prefix = checkPrefix(opts.prefix);
  const pageSize = checkInteger("pageSize", opts.pageSize, { min: 1, max: MAX_LIST_PAGE_SIZE });
  const sdkListOptions = {
    ...sdkOptions(opts),
    ...(prefix ? { prefix } : {}),
    ...(opts.includeMetadata ? { includeMetadata: true } : {}),
    ...(opts.includeDeleted ? { includeDeleted: true } : {}),
    ...(opts.includeSystem ? { includeSystem: true } : {}),
  };
  const context = { operation, client: svc, access: "list" as const };

  async function* pages(
    settings: ListContainersPageSettings = {},
  ): AsyncGenerator<ContainerPage, void, undefined> {
    const s = checkOptions(settings, "byPage settings");
    const maxPageSize =
      checkInteger("maxPageSize", s.maxPageSize, { min: 1, max: MAX_LIST_PAGE_SIZE }) ?? pageSize;
    const token = s.continuationToken;
    if (token !== undefined && typeof token !== "string") {
      throw invalidArgument("continuationToken", "must be a string from a previous page");
    }
    throwIfAborted(opts.signal, operation);
    // The SDK yields nothing for an empty marker; treat it as "from the start".
    const iterator = svc.listContainers(sdkListOptions).byPage({
      ...(token ? { continuationToken: token } : {}),
      ...(maxPageSize ? { maxPageSize } : {}),
    });
    while (true) {
      let result: IteratorResult<{ containerItems: ContainerItem[]; continuationToken?: string }>;
      try {
        result = await iterator.next();
      } catch (error) {
        throw toStorageError(error, context);
      }
      if (result.done) return;
      const page = result.value;
      yield {
        items: (page.containerItems ?? []).map(toListItem),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      };
    }
  }

  async function* items(): AsyncGenerator<ContainerListItem, void, undefined> {
    for await (const page of pages()) yield* page.items;
  }

  const iterator = items();
  return Object.assign(iterator, {
    byPage: (settings?: ListContainersPageSettings) => pages(settings),
  });
}
