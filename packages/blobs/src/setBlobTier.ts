// Move one blob to another access tier (Hot, Cool, Cold, Archive).

import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions } from "@blobkit/auth/kit";
import { sdkConditions } from "./internal/conditions.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import { checkPriority, checkTier } from "./internal/tiers.js";
import type { BlobConditions, BlobTier, RehydratePriority } from "./types.js";

/** Options of {@link setBlobTier}. */
export interface SetBlobTierOptions
  extends OperationOptions,
    Pick<BlobConditions, "whereTags" | "leaseId"> {
  /**
   * Rehydration priority when moving a blob out of Archive.
   * @defaultValue `"Standard"` (the service's default)
   */
  rehydratePriority?: RehydratePriority;
}

/** The result of {@link setBlobTier}. */
export interface SetBlobTierResult {
  /**
   * `true` when the change is not immediate: the blob is being rehydrated from Archive (HTTP 202);
   * follow it with {@link getBlobTier}.
   */
  pending: boolean;
}

/**
 * Sets the access tier of a block blob: Hot, Cool, Cold (online, cheaper to store, dearer to
 * read) or Archive (offline: cheapest, but its data cannot be read until rehydrated). Moving
 * between online tiers is immediate; moving out of Archive starts a rehydration that takes
 * hours (see {@link rehydrateBlob}). Needs a general-purpose v2 or Blob Storage account.
 *
 * @see [Set or change a blob's access tier: Set the tier of a blob](../../../apps/docs/guides/access-tiers.md#set-the-tier-of-a-blob)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { setBlobTier } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * await setBlobTier(container.getBlobClient("2019/report.pdf"), "Cold");
 * ```
 */
export async function setBlobTier(
  blob: BlobClient,
  tier: BlobTier,
  options: SetBlobTierOptions = {},
): Promise<SetBlobTierResult> {
  const checked = checkTier(tier);
  const priority =
    options.rehydratePriority === undefined ? undefined : checkPriority(options.rehydratePriority);
  const conditions = sdkConditions(options);
  const response = await runBlobOperation(
    blobContext(blob, `set blob tier to ${checked}`, "write"),
    () =>
      blob.setAccessTier(checked, {
        ...sdkOptions(options),
        conditions,
        ...(priority ? { rehydratePriority: priority } : {}),
      }),
  );
  return { pending: response._response.status === 202 };
}
