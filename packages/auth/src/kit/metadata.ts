// Metadata names as the service stores them. Azure keeps a metadata name as written
// (`ReviewedBy`) and compares names ignoring case; a Get Properties response carries them as
// `x-ms-meta-*` headers, whose names Node.js lower-cases, while a listing (XML) keeps them. So
// the names of a properties response are matched, ignoring case, against the names a listing
// shows: containers and blobs both do it, so it lives in the kit.

/**
 * Gives each name of `metadata` the case it has in `storedNames` (matched ignoring case, as
 * Azure does); a name not found there is kept as it is. Values always come from `metadata`.
 * For BlobKit's packages: the names of a Get Properties or Get Blob response arrive lower-cased
 * in Node.js, and a listing (`include=metadata`) or the raw response headers show the stored case.
 *
 * @example
 * ```ts
 * import { restoreMetadataCase } from "@blobkit/auth/kit";
 *
 * restoreMetadataCase({ reviewedby: "ann", lower: "x" }, ["ReviewedBy", "lower"]);
 * // { ReviewedBy: "ann", lower: "x" }
 * ```
 */
export function restoreMetadataCase(
  metadata: Record<string, string>,
  storedNames: Iterable<string>,
): Record<string, string> {
  const stored = new Map<string, string>();
  for (const name of storedNames) stored.set(name.toLowerCase(), name);
  const restored: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    restored[stored.get(name.toLowerCase()) ?? name] = value;
  }
  return restored;
}
