// Tier names checked before any request.
import { describeValue, invalidArgument } from "@blobkit/auth/kit";
import type { BlobTier, RehydratePriority } from "../types.js";

const TIERS: readonly BlobTier[] = ["Hot", "Cool", "Cold", "Archive"];

/** Checks a tier name (exact case, as the service documents them). */
export function checkTier<T extends BlobTier>(
  tier: unknown,
  field = "tier",
  allowed: readonly T[] = TIERS as readonly T[],
): T {
  if (typeof tier !== "string" || !(allowed as readonly string[]).includes(tier)) {
    const hint =
      typeof tier === "string" &&
      (allowed as readonly string[]).some((t) => t.toLowerCase() === tier.toLowerCase())
        ? " (tier names are case-sensitive)"
        : "";
    throw invalidArgument(
      field,
      `must be one of ${allowed.join(", ")}; got ${describeValue(tier)}${hint}`,
    );
  }
  return tier as T;
}

/** Checks a rehydrate priority. */
export function checkPriority(priority: unknown, field = "rehydratePriority"): RehydratePriority {
  if (priority !== "Standard" && priority !== "High") {
    throw invalidArgument(field, `must be "Standard" or "High", got ${describeValue(priority)}`);
  }
  return priority;
}
