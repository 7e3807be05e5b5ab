// Read a blob's index tags.

import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions } from "@blobkit/auth/kit";
import { sdkConditions } from "./internal/conditions.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import { tagsOf } from "./internal/tags.js";
import type { Tags } from "./rules/validateTags.js";
import type { BlobConditions } from "./types.js";

/** Options of {@link getBlobTags}. */
export interface GetBlobTagsOptions
  extends OperationOptions,
    Pick<BlobConditions, "whereTags" | "leaseId"> {}

/**
 * Returns a blob's index tags (an empty object when it has none). Needs the SAS permission `t`
 * or the role Storage Blob Data Owner.
 *
 * @see [Find blobs using tags: Set and read tags](../../../apps/docs/guides/find-blobs-by-tags.md#set-and-read-tags)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { getBlobTags } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * const tags = await getBlobTags(container.getBlobClient("report.pdf"));
 * console.log(tags.project);
 * ```
 */
export async function getBlobTags(
  blob: BlobClient,
  options: GetBlobTagsOptions = {},
): Promise<Tags> {
  const conditions = sdkConditions(options);
  const response = await runBlobOperation(blobContext(blob, "get blob tags", "tag"), () =>
    blob.getTags({ ...sdkOptions(options), conditions }),
  );
  return tagsOf(response._response.parsedBody, response.tags);
}
