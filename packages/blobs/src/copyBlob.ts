// copyBlob: copy a blob with the right mechanism, a synchronous copy from URL where allowed,
// else an asynchronous copy followed to completion (with progress, and abort when the signal
// fires). Each phase (plan, source access, sync, async, follow) is in internal/copy/.
import type { BlobClient } from "@azure/storage-blob";
import type { ProgressOptions } from "@blobkit/auth";
import { invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import type { Metadata } from "@blobkit/containers";
import { asyncCopy } from "./internal/copy/async.js";
import { copyContexts } from "./internal/copy/errors.js";
import { checkCopyOptions, checkCopySource } from "./internal/copy/plan.js";
import { authorizeSource, callerAccess, probeSource } from "./internal/copy/source.js";
import { syncCopy } from "./internal/copy/sync.js";
import type { Tags } from "./rules/validateTags.js";
import type { BlobConditions, BlobTier, RehydratePriority, SourceAuthorization } from "./types.js";

/** The largest source a synchronous copy (Copy Blob From URL) accepts: 256 MiB. */
export const MAX_SYNC_COPY_BYTES = 256 * 1024 * 1024;

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

/**
 * Copies a blob to another blob, in the same account or another one, choosing the mechanism:
 * a synchronous copy from URL (one request) when the source is a block blob of at most 256 MiB
 * that is not archived, otherwise an asynchronous copy that this function follows until it
 * completes, reporting progress; if `signal` fires meanwhile, the pending copy is aborted
 * (`abortCopyFromURL`, which leaves an empty destination). The service reads the source itself,
 * through its URL: see `sourceAuthorization` for how BlobKit authorizes that read. The copy may
 * get its own metadata, tags and tier.
 *
 * @see [Copy blobs](../../../apps/docs/guides/copy-blobs.md)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { copyBlob } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * declare const archive: ContainerClient;
 * const source = container.getBlobClient("reports/q1.pdf");
 * const destination = archive.getBlobClient("2024/q1.pdf");
 * const result = await copyBlob(source, destination, { tier: "Cool", tags: { year: "2024" } });
 * console.log(result.mechanism); // "sync"
 * ```
 */
export async function copyBlob(
  source: BlobClient | string,
  destination: BlobClient,
  options: CopyBlobOptions = {},
): Promise<CopyBlobResult> {
  const plan = checkCopyOptions(options);
  checkCopySource(source);
  throwIfAborted(options.signal, "copy blob");
  const contexts = copyContexts(source, destination);

  // 1. How the service will read the source, as the caller said; 2. what the source is (size,
  // type, tier), which decides the mechanism and fails early if the source is missing.
  const given = await callerAccess(source, plan);
  const properties = await probeSource(source, given, plan, contexts);
  const size = properties?.contentLength;
  const syncAllowed =
    properties !== undefined &&
    (properties.blobType ?? "BlockBlob") === "BlockBlob" &&
    (size ?? 0) <= MAX_SYNC_COPY_BYTES &&
    properties.accessTier !== "Archive" &&
    plan.priority === undefined;
  const mechanism: "sync" | "async" =
    plan.mode === "auto" ? (syncAllowed ? "sync" : "async") : plan.mode;
  if (mechanism === "sync" && size !== undefined && size > MAX_SYNC_COPY_BYTES) {
    throw invalidArgument(
      "mode",
      `a synchronous copy takes at most ${MAX_SYNC_COPY_BYTES} bytes (256 MiB); the source has ${size}. Use mode "async" or "auto"`,
    );
  }

  // 3. What that mechanism needs to read the source, then the copy itself.
  const access = await authorizeSource(source, destination, given, mechanism, plan, contexts);
  return mechanism === "sync"
    ? syncCopy(destination, access, size, plan, contexts)
    : asyncCopy(destination, access, size, plan, contexts);
}
