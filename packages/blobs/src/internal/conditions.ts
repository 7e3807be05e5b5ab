// Maps BlobConditions to the SDK's `conditions`, checking them before any request. Each value
// travels as an HTTP header (If-Match, If-None-Match, x-ms-lease-id, x-ms-if-tags), so each is
// checked as one: the SDK strips CR/LF, which would send a condition the caller did not write
// (`ifNoneMatch: "*\r\nx"` became `*x` and let a download succeed that had to fail).
import { checkHeaderValue, invalidArgument } from "@blobkit/auth/kit";
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
    return checkHeaderValue("whereTags", whereTags.toString());
  }
  if (typeof whereTags !== "string" || whereTags.trim() === "") {
    throw invalidArgument("whereTags", "must be a tagQuery() or a non-empty expression");
  }
  return checkHeaderValue("whereTags", whereTags);
}

/** The SDK `conditions` object for BlobConditions (plus `ifNoneMatch` when given). */
export function sdkConditions(conditions: BlobConditions & { ifNoneMatch?: string }): {
  ifMatch?: string;
  ifNoneMatch?: string;
  tagConditions?: string;
  leaseId?: string;
} {
  const ifMatch = checkHeaderValue("ifMatch", conditions.ifMatch);
  const ifNoneMatch = checkHeaderValue("ifNoneMatch", conditions.ifNoneMatch);
  const leaseId = checkHeaderValue("leaseId", conditions.leaseId);
  const tagConditions = tagConditionOf(conditions.whereTags);
  return {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    ...(tagConditions !== undefined ? { tagConditions } : {}),
    ...(leaseId !== undefined ? { leaseId } : {}),
  };
}
