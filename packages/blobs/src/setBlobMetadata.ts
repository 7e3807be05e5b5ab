// Replace a blob's user metadata, validated before any request.

import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions } from "@blobkit/auth/kit";
import { type Metadata, validateMetadata } from "@blobkit/containers";
import { sdkConditions } from "./internal/conditions.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import type { BlobConditions } from "./types.js";

/** Options of {@link setBlobMetadata}. */
export interface SetBlobMetadataOptions extends OperationOptions, BlobConditions {}

/** The result of a metadata write. */
export interface SetBlobMetadataResult {
  /** The blob's new ETag. */
  etag: string | undefined;
  /** When the blob changed. */
  lastModified: Date | undefined;
}

/**
 * Replaces all user metadata of a blob (names not given are removed; `{}` removes all). The
 * metadata is checked first: names are C# identifiers, unique ignoring case; values printable
 * ASCII; at most 8 KiB in total. To change a few entries and keep the others, use
 * {@link updateBlobMetadata}. Fails with `PreconditionFailed` when `ifMatch` or `whereTags` does
 * not hold.
 *
 * @see [Manage blob properties and metadata: Replace metadata](../../../apps/docs/guides/blob-properties-metadata.md#replace-metadata)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { setBlobMetadata } from "@blobkit/blobs";
 *
 * declare const blob: BlobClient;
 * await setBlobMetadata(blob, { owner: "finance", reviewed: "2024-05-01" });
 * ```
 */
export async function setBlobMetadata(
  blob: BlobClient,
  metadata: Metadata,
  options: SetBlobMetadataOptions = {},
): Promise<SetBlobMetadataResult> {
  const checked = validateMetadata(metadata);
  const conditions = sdkConditions(options);
  const response = await runBlobOperation(blobContext(blob, "set blob metadata", "write"), () =>
    blob.setMetadata(checked, { ...sdkOptions(options), conditions }),
  );
  return { etag: response.etag, lastModified: response.lastModified };
}
