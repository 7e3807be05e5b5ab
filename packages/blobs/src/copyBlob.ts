// copyBlob: copy a blob with the right mechanism, a synchronous copy from URL where allowed,
// else an asynchronous copy followed to completion (with progress, and abort when the signal
// fires). Each phase (plan, source access, sync, async, follow) is in internal/copy/.
import type { BlobClient } from "@azure/storage-blob";
import { invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import type { CopyBlobOptions, CopyBlobResult } from "./CopyBlobOptions.js";
import { asyncCopy } from "./internal/copy/async.js";
import { copyContexts } from "./internal/copy/errors.js";
import { checkCopyOptions, checkCopySource } from "./internal/copy/plan.js";
import { authorizeSource, callerAccess, probeSource } from "./internal/copy/source.js";
import { syncCopy } from "./internal/copy/sync.js";

/** The largest source a synchronous copy (Copy Blob From URL) accepts: 256 MiB. */
export const MAX_SYNC_COPY_BYTES = 256 * 1024 * 1024;

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
