// Read a blob's system properties, HTTP headers and metadata as one typed object.

import type { BlobClient, BlobGetPropertiesResponse } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { redactSecrets, sdkOptions } from "@blobkit/auth/kit";
import type { Metadata } from "@blobkit/containers";
import { sdkConditions } from "./internal/conditions.js";
import { parseCopyProgress } from "./internal/copy-progress.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import { withStoredCase } from "./internal/metadata-case.js";
import type { BlobConditions, BlobHttpHeaders, BlobTier } from "./types.js";

/** The state of the last copy into a blob. */
export interface BlobCopyState {
  /** The copy's id, needed to abort it. */
  id: string | undefined;
  /** `pending`, `success`, `aborted` or `failed`. */
  status: "pending" | "success" | "aborted" | "failed" | undefined;
  /** The source URL, with any SAS signature removed. */
  source: string | undefined;
  /** Bytes copied so far. */
  bytesCopied: number | undefined;
  /** Bytes to copy in total. */
  totalBytes: number | undefined;
  /** When the copy ended. */
  completedOn: Date | undefined;
  /** Why a copy failed or was aborted. */
  statusDescription: string | undefined;
}

/**
 * A blob's properties, as {@link getBlobProperties} returns them. The HTTP headers
 * (`contentType`, `contentEncoding`, ...) are top-level fields, as in {@link downloadBlob}'s
 * result and the SDK's own properties.
 */
export interface BlobProperties extends BlobHttpHeaders {
  /** The blob's name. */
  name: string;
  /** The container it is in. */
  containerName: string;
  /** Size in bytes. */
  contentLength: number;
  /** `BlockBlob`, `PageBlob` or `AppendBlob`. */
  blobType: "BlockBlob" | "PageBlob" | "AppendBlob" | undefined;
  /** The ETag; pass it as `ifMatch` to change the blob only if nobody else did. */
  etag: string;
  /** When the blob (content, metadata or properties) last changed. */
  lastModified: Date;
  /** When the blob was created. */
  createdOn: Date | undefined;
  /**
   * The standard HTTP headers, grouped: the same values as the top-level `contentType`,
   * `contentEncoding`, `contentLanguage`, `contentDisposition`, `cacheControl` and `contentMD5`.
   * @deprecated Read the top-level fields (`props.contentType`); this alias will be removed in
   * the next minor release.
   */
  httpHeaders: BlobHttpHeaders;
  /**
   * User metadata, names as stored (`ReviewedBy`; Azure compares them ignoring case). See
   * {@link getBlobProperties} for when they are lower-case instead.
   */
  metadata: Metadata;
  /** How many index tags the blob has (read them with {@link getBlobTags}). */
  tagCount: number;
  /** The access tier (Hot, Cool, Cold, Archive; premium page blobs: P4...P80). */
  accessTier: BlobTier | (string & {}) | undefined;
  /** Whether the tier is the account's default rather than set on the blob. */
  accessTierInferred: boolean;
  /** When the tier last changed. */
  accessTierChangedOn: Date | undefined;
  /** While rehydrating from Archive: `rehydrate-pending-to-hot`, `-to-cool` or `-to-cold`. */
  archiveStatus: string | undefined;
  /** While rehydrating: `Standard` or `High`. */
  rehydratePriority: "Standard" | "High" | undefined;
  /** The version id, on accounts with versioning. */
  versionId: string | undefined;
  /** Whether this is the current version, on accounts with versioning. */
  isCurrentVersion: boolean | undefined;
  /** The lease: `available`, `leased`, `expired`, `breaking` or `broken`. */
  leaseState: "available" | "leased" | "expired" | "breaking" | "broken" | undefined;
  /** `infinite` or `fixed`, while leased. */
  leaseDuration: "infinite" | "fixed" | undefined;
  /** The last copy into this blob, if any. */
  copy: BlobCopyState | undefined;
  /** Whether the content is encrypted at rest (always, on Azure). */
  serverEncrypted: boolean | undefined;
  /** When the blob was last read or written, if last access tracking is on. */
  lastAccessedOn: Date | undefined;
}

/** Options of {@link getBlobProperties}. */
export interface GetBlobPropertiesOptions extends OperationOptions, BlobConditions {}

/** Maps the SDK's properties response to {@link BlobProperties}. */
function toBlobProperties(
  blob: BlobClient,
  r: BlobGetPropertiesResponse,
  metadata: Metadata,
): BlobProperties {
  const copy: BlobCopyState | undefined =
    r.copyId || r.copyStatus
      ? {
          id: r.copyId,
          status: r.copyStatus,
          source: r.copySource ? redactSecrets(r.copySource) : undefined,
          ...parseCopyProgress(r.copyProgress),
          completedOn: r.copyCompletedOn,
          statusDescription: r.copyStatusDescription,
        }
      : undefined;
  const headers: BlobHttpHeaders = {
    contentType: r.contentType,
    contentEncoding: r.contentEncoding,
    contentLanguage: r.contentLanguage,
    contentDisposition: r.contentDisposition,
    cacheControl: r.cacheControl,
    contentMD5: r.contentMD5,
  };
  return {
    name: blob.name,
    containerName: blob.containerName,
    contentLength: r.contentLength ?? 0,
    blobType: r.blobType,
    etag: r.etag ?? "",
    lastModified: r.lastModified ?? new Date(0),
    createdOn: r.createdOn,
    ...headers,
    httpHeaders: { ...headers },
    metadata,
    tagCount: r.tagCount ?? 0,
    accessTier: r.accessTier,
    accessTierInferred: r.accessTierInferred === true,
    accessTierChangedOn: r.accessTierChangedOn,
    archiveStatus: r.archiveStatus,
    rehydratePriority: r.rehydratePriority,
    versionId: r.versionId,
    isCurrentVersion: r.isCurrentVersion,
    leaseState: r.leaseState,
    leaseDuration: r.leaseDuration,
    copy,
    serverEncrypted: r.isServerEncrypted,
    lastAccessedOn: r.lastAccessed,
  };
}

/**
 * Returns a blob's properties as one typed object: size, type, ETag, dates, HTTP headers
 * (`contentType`, `cacheControl`, ...), metadata, tag count, access tier and rehydration state,
 * lease state and the last copy. Works on archived blobs too. One request (`HEAD`), plus one when
 * the blob has metadata: Node.js lower-cases the response's header names, so List Blobs for this
 * one name recovers the names as stored (`ReviewedBy`). On a snapshot or version client the
 * listing includes the blob's snapshots or versions to find that entry. A credential that may not
 * list the container (a SAS for one blob) gets the names in lower case instead; Azure compares
 * names ignoring case, so they still address the same entries.
 *
 * @see [Manage blob properties and metadata: Read properties](../../../apps/docs/guides/blob-properties-metadata.md#read-properties)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { getBlobProperties } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * const props = await getBlobProperties(container.getBlobClient("report.pdf"));
 * console.log(props.contentLength, props.contentType, props.metadata, props.accessTier);
 * ```
 */
export async function getBlobProperties(
  blob: BlobClient,
  options: GetBlobPropertiesOptions = {},
): Promise<BlobProperties> {
  const conditions = sdkConditions(options);
  const response = await runBlobOperation(blobContext(blob, "get blob properties", "read"), () =>
    blob.getProperties({ ...sdkOptions(options), conditions }),
  );
  const metadata = await withStoredCase(blob, { ...response.metadata }, options.signal);
  return toBlobProperties(blob, response, metadata);
}
