// Change a blob's metadata with a function of its current metadata, safely under concurrency.

import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions } from "@blobkit/auth/kit";
import { type Metadata, validateMetadata } from "@blobkit/containers";
import { sdkConditions } from "./internal/conditions.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import { withStoredCase } from "./internal/metadata-case.js";
import { checkAttempts, noRetry, withOptimisticRetry } from "./internal/retry.js";
import type { BlobConditions } from "./types.js";

/** Options of {@link updateBlobMetadata}. */
export interface UpdateBlobMetadataOptions
  extends OperationOptions,
    Pick<BlobConditions, "whereTags" | "leaseId"> {
  /**
   * How many read-update-write rounds to try when someone else changes the blob in between
   * (HTTP 412) before failing with `PreconditionFailed`.
   * @defaultValue 5
   */
  maxAttempts?: number;
}

/** The result of {@link updateBlobMetadata}. */
export interface UpdateBlobMetadataResult {
  /** The metadata the blob has now. */
  metadata: Metadata;
  /** The blob's ETag now. */
  etag: string | undefined;
  /** Whether anything was written (`false` when `update` returned `undefined`). */
  changed: boolean;
  /** How many rounds it took. */
  attempts: number;
}

/**
 * Reads a blob's metadata, passes a copy to `update`, and writes what it returns only if the blob
 * has not changed since it was read (ETag condition); if it has, reads again and calls `update`
 * again, up to `maxAttempts` times. `update` may be async and should have no side effects, since
 * it may run more than once; return `undefined` to leave the metadata as it is. `update` sees the
 * names as stored (`ReviewedBy`, see {@link getBlobProperties}), so the names it leaves alone are
 * written back unchanged. A `whereTags` condition that does not hold fails at once with
 * `PreconditionFailed`, saying so.
 *
 * @see [Manage blob properties and metadata: Update metadata safely](../../../apps/docs/guides/blob-properties-metadata.md#update-metadata-safely)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { updateBlobMetadata } from "@blobkit/blobs";
 *
 * declare const blob: BlobClient;
 * await updateBlobMetadata(blob, (metadata) => ({
 *   ...metadata,
 *   downloads: String(Number(metadata.downloads ?? "0") + 1),
 * }));
 * ```
 */
export async function updateBlobMetadata(
  blob: BlobClient,
  update: (current: Metadata) => Metadata | undefined | Promise<Metadata | undefined>,
  options: UpdateBlobMetadataOptions = {},
): Promise<UpdateBlobMetadataResult> {
  const maxAttempts = checkAttempts(options.maxAttempts, 5);
  const conditions = sdkConditions(options);
  const { value, attempts } = await withOptimisticRetry(
    maxAttempts,
    true,
    options.signal,
    "update blob metadata",
    async () => {
      // Only the caller's conditions go with the read: a 412 here is final (whereTags).
      const current = await noRetry(
        runBlobOperation(blobContext(blob, "get blob properties", "read"), () =>
          blob.getProperties({ ...sdkOptions(options), conditions }),
        ),
      );
      // Names in their stored case, so the names `update` leaves alone are written back as they were.
      const metadata = await withStoredCase(blob, { ...current.metadata }, options.signal);
      const next = await update({ ...metadata });
      if (next === undefined) return { metadata, etag: current.etag, changed: false };
      const checked = validateMetadata(next);
      const response = await runBlobOperation(blobContext(blob, "set blob metadata", "write"), () =>
        blob.setMetadata(checked, {
          ...sdkOptions(options),
          conditions: { ...conditions, ...(current.etag ? { ifMatch: current.etag } : {}) },
        }),
      );
      return { metadata: checked, etag: response.etag, changed: true };
    },
  );
  return { ...value, attempts };
}
