// Reads tags from SDK responses without losing keys such as "__proto__" (the SDK assigns them
// into a plain object, where that key would set the prototype instead).
import type { Tags } from "../rules/validateTags.js";

interface TagSet {
  blobTagSet?: { key: string; value: string }[];
}

/** Tags from a raw `BlobTags` body, or from the SDK's already converted object. */
export function tagsOf(parsedBody: unknown, converted: Record<string, string> | undefined): Tags {
  const set = (parsedBody as TagSet | undefined)?.blobTagSet;
  if (Array.isArray(set)) return Object.fromEntries(set.map((t) => [t.key, t.value ?? ""]));
  return Object.fromEntries(Object.entries(converted ?? {}));
}
