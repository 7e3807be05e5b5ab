// Set the access tier of many blobs of a container with the Blob Batch API.
import type { ContainerClient } from "@azure/storage-blob";
import type { BlobBatchOptions, BlobBatchResult, BlobReference } from "./BlobBatchResult.js";
import { runBatches } from "./internal/batch.js";
import { checkPriority, checkTier } from "./internal/tiers.js";
import type { BlobTier, RehydratePriority } from "./types.js";

/** Options of {@link setBlobsTier}. */
export interface SetBlobsTierOptions extends BlobBatchOptions {
  /**
   * Rehydration priority for blobs moving out of Archive.
   * @defaultValue `"Standard"` (the service's default)
   */
  rehydratePriority?: RehydratePriority;
}

/**
 * Sets the access tier of many blobs of one container with the Blob Batch API (256 per request,
 * bounded concurrency), with a result per blob in input order. A status of 202 in a result means
 * a rehydration from Archive has started. Throws only for invalid input and cancellation.
 *
 * @see [Set or change a blob's access tier: Set the tier of many blobs](../../../apps/docs/guides/access-tiers.md#set-the-tier-of-many-blobs)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { setBlobsTier } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * const result = await setBlobsTier(container, ["2019/a.csv", "2019/b.csv"], "Archive");
 * for (const r of result.results) if (!r.ok) console.error(r.name, r.error?.message);
 * ```
 */
export async function setBlobsTier(
  container: ContainerClient,
  blobs: Iterable<BlobReference> | AsyncIterable<BlobReference>,
  tier: BlobTier,
  options: SetBlobsTierOptions = {},
): Promise<BlobBatchResult> {
  const checked = checkTier(tier);
  const priority =
    options.rehydratePriority === undefined ? undefined : checkPriority(options.rehydratePriority);
  return runBatches(
    container,
    blobs,
    {
      operation: `set blob tier to ${checked}`,
      access: "write",
      add: (batch, client) =>
        batch.setBlobAccessTier(client, checked, priority ? { rehydratePriority: priority } : {}),
    },
    options,
  );
}
