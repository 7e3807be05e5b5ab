// The options and the result of copyBlob, apart from it so that its internal/ parts read the same
// types (and the same documentation) as its callers.
import type { ProgressOptions } from "@blobkit/auth";
import type { Metadata } from "@blobkit/containers";
import type { Tags } from "./rules/validateTags.js";
import type { BlobConditions, BlobTier, RehydratePriority, SourceAuthorization } from "./types.js";

/** Options of {@link copyBlob}. Conditions (`ifMatch`, `whereTags`, `leaseId`) apply to the destination. */
export interface CopyBlobOptions extends ProgressOptions, BlobConditions {
  /**
   * `"sync"`: Copy Blob From URL (one request; block blobs up to 256 MiB, not from Archive).
   * `"async"`: Copy Blob, followed until it completes. `"auto"` picks sync where allowed.
   * @defaultValue `"auto"`
   */
  mode?: "auto" | "sync" | "async";
  /**
   * How the service reads the source. Left out: an asynchronous copy within one account needs
   * nothing (the destination request authorizes it); otherwise BlobKit uses the source URL's own
   * SAS if it has one, else creates a short-lived read-only SAS when the source client uses an
   * account key, else, for a synchronous copy with Microsoft Entra ID, sends the source client's
   * token. Pass a SAS here for other cases, e.g. a user delegation SAS for a source in another
   * account used with Microsoft Entra ID.
   */
  sourceAuthorization?: SourceAuthorization;
  /**
   * Lifetime of the read-only SAS that BlobKit creates for an account-key source. It is sent
   * only to the storage service, inside the copy request.
   * @defaultValue 15 minutes for a synchronous copy, 24 hours for an asynchronous one
   */
  sourceSasExpiresInMs?: number;
  /** Metadata of the copy; left out, the source's metadata is copied. */
  metadata?: Metadata;
  /** Index tags of the copy; left out, the copy has none (source tags are not copied). */
  tags?: Tags;
  /** Access tier of the copy. */
  tier?: BlobTier;
  /** Rehydration priority when copying from an archived source (asynchronous copy only). */
  rehydratePriority?: RehydratePriority;
  /**
   * Replace an existing destination blob. `false` fails with `AlreadyExists` if it exists.
   * @defaultValue true
   */
  overwrite?: boolean;
  /**
   * How often to check an asynchronous copy's progress.
   * @defaultValue 5000
   */
  pollIntervalMs?: number;
  /**
   * Wait for an asynchronous copy to complete. `false` returns once it has started (status
   * `"pending"`); follow it with {@link getBlobProperties} (`copy.status`).
   * @defaultValue true
   */
  waitForCompletion?: boolean;
}

/** The result of {@link copyBlob}. */
export interface CopyBlobResult {
  /** Which mechanism copied the blob. */
  mechanism: "sync" | "async";
  /** `"pending"` only when `waitForCompletion` is false and the copy is still running. */
  status: "success" | "pending";
  /** The copy id (needed to abort a pending copy). */
  copyId: string | undefined;
  /** The destination's ETag. */
  etag: string | undefined;
  /** When the destination changed. */
  lastModified: Date | undefined;
  /** The destination's version id, on accounts with versioning. */
  versionId: string | undefined;
  /** Bytes copied, when known. */
  bytesCopied: number | undefined;
}
