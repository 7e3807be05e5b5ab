// Replace a blob's index tags, validated before any request.

import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions } from "@blobkit/auth/kit";
import { sdkConditions } from "./internal/conditions.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import { type Tags, validateTags } from "./rules/validateTags.js";
import type { BlobConditions } from "./types.js";

/** Options of {@link setBlobTags}. */
export interface SetBlobTagsOptions extends OperationOptions, BlobConditions {}

/**
 * Replaces all index tags of a blob (tags not given are removed; pass `{}` to remove all). The tags
 * are checked first: at most 10, keys 1-128 and values 0-256 characters of letters, digits, space
 * and `+ - . : = _ /`. Index tags, unlike metadata, can be searched with {@link findBlobsByTags}
 * and changed without changing the blob's ETag. Needs the SAS permission `t` or the role Storage
 * Blob Data Owner.
 *
 * @see [Find blobs using tags: Set and read tags](../../../apps/docs/guides/find-blobs-by-tags.md#set-and-read-tags)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { setBlobTags } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * await setBlobTags(container.getBlobClient("report.pdf"), { project: "apollo", status: "final" });
 * ```
 */
export async function setBlobTags(
  blob: BlobClient,
  tags: Tags,
  options: SetBlobTagsOptions = {},
): Promise<void> {
  const checked = validateTags(tags);
  const conditions = sdkConditions(options);
  await runBlobOperation(blobContext(blob, "set blob tags", "tag"), () =>
    blob.setTags(checked, { ...sdkOptions(options), conditions }),
  );
}
