// Read a blob's access tier and rehydration status.

import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { sdkOptions } from "@blobkit/auth/kit";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import type { BlobTier, RehydratePriority } from "./types.js";

/** A blob's tier and, while it is leaving Archive, the rehydration under way. */
export interface BlobTierStatus {
  /** The current tier (`undefined` for blobs without one, e.g. page blobs in standard accounts). */
  tier: BlobTier | (string & {}) | undefined;
  /** Whether the tier is the account default rather than set on the blob. */
  inferred: boolean;
  /** When the tier last changed. */
  changedOn: Date | undefined;
  /** Whether the blob is in Archive (its data cannot be read). */
  archived: boolean;
  /** Whether a rehydration from Archive is under way. */
  rehydrating: boolean;
  /** The tier the blob is being rehydrated to. */
  rehydratingTo: "Hot" | "Cool" | "Cold" | undefined;
  /** The priority of the rehydration under way. */
  rehydratePriority: RehydratePriority | undefined;
}

/** Options of {@link getBlobTier}. */
export interface GetBlobTierOptions extends OperationOptions {}

const TARGET: Record<string, "Hot" | "Cool" | "Cold"> = {
  "rehydrate-pending-to-hot": "Hot",
  "rehydrate-pending-to-cool": "Cool",
  "rehydrate-pending-to-cold": "Cold",
};

/**
 * Returns a blob's access tier and rehydration status: whether it is archived, and while it is
 * being rehydrated, to which tier and with which priority. Poll it after {@link rehydrateBlob}.
 *
 * @see [Set or change a blob's access tier: Follow a rehydration](../../../apps/docs/guides/access-tiers.md#follow-a-rehydration)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { getBlobTier } from "@blobkit/blobs";
 *
 * declare const blob: BlobClient;
 * const status = await getBlobTier(blob);
 * if (status.rehydrating) console.log(`rehydrating to ${status.rehydratingTo}`);
 * ```
 */
export async function getBlobTier(
  blob: BlobClient,
  options: GetBlobTierOptions = {},
): Promise<BlobTierStatus> {
  const r = await runBlobOperation(blobContext(blob, "get blob tier", "read"), () =>
    blob.getProperties(sdkOptions(options)),
  );
  const rehydratingTo = r.archiveStatus ? TARGET[r.archiveStatus.toLowerCase()] : undefined;
  return {
    tier: r.accessTier,
    inferred: r.accessTierInferred === true,
    changedOn: r.accessTierChangedOn,
    archived: r.accessTier === "Archive",
    rehydrating: rehydratingTo !== undefined,
    rehydratingTo,
    rehydratePriority: rehydratingTo ? (r.rehydratePriority ?? "Standard") : undefined,
  };
}
