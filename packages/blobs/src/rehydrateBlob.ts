// Bring an archived blob back online: in place (set its tier), or as a copy in an online tier.

import type { BlobClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { invalidArgument, sdkOptions } from "@blobkit/auth/kit";
import { copyBlob } from "./copyBlob.js";
import { getBlobTier } from "./getBlobTier.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import { checkPriority, checkTier } from "./internal/tiers.js";
import type { RehydratePriority, SourceAuthorization } from "./types.js";

/** Options of {@link rehydrateBlob}. */
export interface RehydrateBlobOptions extends OperationOptions {
  /**
   * The online tier to rehydrate to.
   * @defaultValue `"Hot"`
   */
  tier?: "Hot" | "Cool" | "Cold";
  /**
   * `"Standard"` (up to 15 hours) or `"High"` (usually under 1 hour for blobs under 10 GiB; costs more).
   * @defaultValue `"Standard"`
   */
  priority?: RehydratePriority;
  /**
   * Rehydrate into a copy at this blob instead of in place (the archived blob stays archived).
   * The copy is started and not waited for; it completes when rehydration does.
   */
  destination?: BlobClient;
  /** How the service may read the archived blob when copying; see {@link CopyBlobOptions}. */
  sourceAuthorization?: SourceAuthorization;
}

/** The result of {@link rehydrateBlob}. */
export interface RehydrateBlobResult {
  /** `true` while the rehydration (or the rehydrating copy) is under way. */
  pending: boolean;
  /** `"in-place"`, `"copy"`, or `"none"` when the blob was not archived (its tier is then set directly). */
  mode: "in-place" | "copy" | "none";
  /** The copy id, for a copy. */
  copyId: string | undefined;
}

/**
 * Rehydrates an archived blob to an online tier so it can be read again: in place (Set Blob Tier),
 * or into a copy (`destination`), which leaves the archived blob as it is. Rehydration takes
 * hours; poll {@link getBlobTier} (in place) or {@link getBlobProperties} (`copy.status`) to know
 * when it is done. A blob already rehydrating is left alone; a blob not archived just gets `tier`.
 *
 * @see [Set or change a blob's access tier: Read an archived blob: rehydrate first](../../../apps/docs/guides/access-tiers.md#read-an-archived-blob-rehydrate-first)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { rehydrateBlob } from "@blobkit/blobs";
 *
 * declare const blob: BlobClient;
 * const result = await rehydrateBlob(blob, { tier: "Hot", priority: "High" });
 * if (result.pending) console.log("check back later with getBlobTier(blob)");
 * ```
 */
export async function rehydrateBlob(
  blob: BlobClient,
  options: RehydrateBlobOptions = {},
): Promise<RehydrateBlobResult> {
  const tier = checkTier(options.tier ?? "Hot", "tier", ["Hot", "Cool", "Cold"] as const);
  const priority = checkPriority(options.priority ?? "Standard", "priority");
  const destination = options.destination;
  if (destination !== undefined && (typeof destination !== "object" || !destination?.url)) {
    throw invalidArgument("destination", "must be a BlobClient");
  }
  const signal = options.signal ? { signal: options.signal } : {};

  if (destination) {
    const result = await copyBlob(blob, destination, {
      ...signal,
      mode: "async",
      tier,
      rehydratePriority: priority,
      waitForCompletion: false,
      ...(options.sourceAuthorization ? { sourceAuthorization: options.sourceAuthorization } : {}),
    });
    return { pending: result.status === "pending", mode: "copy", copyId: result.copyId };
  }

  const status = await getBlobTier(blob, signal);
  if (status.rehydrating) return { pending: true, mode: "in-place", copyId: undefined };
  const response = await runBlobOperation(
    blobContext(blob, `rehydrate blob to ${tier}`, "write"),
    () =>
      blob.setAccessTier(tier, {
        ...sdkOptions(options),
        ...(status.archived ? { rehydratePriority: priority } : {}),
      }),
  );
  return {
    pending: response._response.status === 202,
    mode: status.archived ? "in-place" : "none",
    copyId: undefined,
  };
}
