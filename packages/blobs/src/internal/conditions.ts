// Maps BlobConditions to the SDK's `conditions`, checking them before any request.
import { invalidArgument } from "@blobkit/auth/kit";
import type { BlobConditions } from "../BlobConditions.js";
import { TagQuery } from "../tagQuery.js";

/** The `x-ms-if-tags` expression for `whereTags`, or undefined. */
export function tagConditionOf(whereTags: TagQuery | string | undefined): string | undefined {
  if (whereTags === undefined) return undefined;
  if (whereTags instanceof TagQuery) {
    if (whereTags.container !== undefined) {
      throw invalidArgument(
        "whereTags",
        "@container is only allowed in findBlobsByTags queries; drop inContainer() from the condition",
      );
    }
    return whereTags.toString();
  }
  if (typeof whereTags !== "string" || whereTags.trim() === "") {
    throw invalidArgument("whereTags", "must be a tagQuery() or a non-empty expression");
  }
  return whereTags;
}

/** The SDK `conditions` object for BlobConditions (plus `ifNoneMatch` when given). */
export function sdkConditions(conditions: BlobConditions & { ifNoneMatch?: string }): {
  ifMatch?: string;
  ifNoneMatch?: string;
  tagConditions?: string;
  leaseId?: string;
} {
  const { ifMatch, ifNoneMatch, leaseId } = conditions;
  for (const [field, value] of [
    ["ifMatch", ifMatch],
    ["leaseId", leaseId],
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      throw invalidArgument(field, "must be a non-empty string");
    }
  }
  const tagConditions = tagConditionOf(conditions.whereTags);
  return {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    ...(tagConditions !== undefined ? { tagConditions } : {}),
    ...(leaseId !== undefined ? { leaseId } : {}),
  };
}
