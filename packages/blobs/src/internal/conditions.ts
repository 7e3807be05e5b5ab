// Maps BlobConditions to the SDK's `conditions`, checking them before any request.
import { checkOptionalString, invalidArgument } from "@blobkit/auth/kit";
import { TagQuery } from "../rules/tagQuery.js";
import type { BlobConditions } from "../types.js";

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
  const { ifNoneMatch } = conditions;
  const ifMatch = checkOptionalString("ifMatch", conditions.ifMatch);
  const leaseId = checkOptionalString("leaseId", conditions.leaseId);
  const tagConditions = tagConditionOf(conditions.whereTags);
  return {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    ...(tagConditions !== undefined ? { tagConditions } : {}),
    ...(leaseId !== undefined ? { leaseId } : {}),
  };
}
