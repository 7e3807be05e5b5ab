// The types several files of @blobkit/blobs share: access tiers, conditions, headers, listing and
// copy vocabulary. They live here, not in a capability file, so that `internal/` can use them
// without importing an operation and no import circle can form. (`Tags` stays in
// rules/validateTags.ts: rules/tagQuery.ts, whose type is used here, imports that file.)
import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import type { TagQuery } from "./rules/tagQuery.js";

/** A blob's access tier: Hot, Cool, Cold or Archive. */
export type BlobTier = "Hot" | "Cool" | "Cold" | "Archive";

/** How fast to rehydrate from Archive: `Standard` (up to 15 hours) or `High` (usually under 1 hour, costs more). */
export type RehydratePriority = "Standard" | "High";

/** Conditions on the blob an operation acts on; the operation fails with `PreconditionFailed` if one does not hold. */
export interface BlobConditions {
  /** Act only if the blob's ETag is this one (optimistic concurrency). */
  ifMatch?: string;
  /**
   * Act only if the blob's index tags match, e.g. `tagQuery().where("status", "=", "draft")`
   * (sent as `x-ms-if-tags`). A string is sent as is; prefer the builder, which quotes correctly.
   */
  whereTags?: TagQuery | string;
  /** The blob's active lease id; required to change a leased blob. */
  leaseId?: string;
}

/** The standard HTTP headers stored with a blob and returned when it is downloaded. */
export interface BlobHttpHeaders {
  /** `Content-Type`, e.g. `"application/pdf"`. */
  contentType: string | undefined;
  /** `Content-Encoding`, e.g. `"gzip"`. */
  contentEncoding: string | undefined;
  /** `Content-Language`, e.g. `"en-US"`. */
  contentLanguage: string | undefined;
  /** `Content-Disposition`, e.g. `'attachment; filename="report.pdf"'`. */
  contentDisposition: string | undefined;
  /** `Cache-Control`, e.g. `"public, max-age=3600"`. */
  cacheControl: string | undefined;
  /** The MD5 hash of the whole content (`Content-MD5`), when known. */
  contentMD5: Uint8Array | undefined;
}

/** What to do with a blob's snapshots: delete them with it (`include`) or delete only them (`only`). */
export type DeleteSnapshots = "include" | "only";

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

/**
 * How the service may read the source of a copy: a SAS token (with or without `?`), or a function
 * that returns one for the source, e.g. one that creates a user delegation SAS.
 */
export type SourceAuthorization =
  | string
  | ((source: BlobClient | string) => string | Promise<string>);

/**
 * A limit on requests in flight and on the block and range buffers they hold, shared by the
 * transfers it is passed to (`budget` of `uploadBlob` and `downloadBlob`, and of every transfer
 * of `@blobkit/transfer`). Requests wait their turn in the order they asked.
 */
export interface TransferBudget {
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** Bytes of block and range buffers held at most. */
  readonly memoryBytes: number;
  /** Requests in flight now. */
  readonly active: number;
  /** Bytes held now. */
  readonly heldBytes: number;
  /** Requests waiting for their turn now. */
  readonly waiting: number;
  /**
   * Runs `work` once a request slot and `bytes` of memory are free, and frees them when it
   * settles. A request for more than `memoryBytes` runs alone. Use it to bound your own work
   * together with BlobKit's transfers.
   */
  run<T>(bytes: number, work: () => Promise<T>, options?: OperationOptions): Promise<T>;
}
