// Blob name rules, checked before any request.
import { invalidArgument } from "@blobkit/auth/kit";

/** Longest blob name Azure accepts, in characters. */
export const MAX_BLOB_NAME_LENGTH = 1024;
/** Most path segments (parts between `/`) a blob name may have. */
export const MAX_BLOB_PATH_SEGMENTS = 254;

/**
 * Checks a blob name against Azure's rules and throws an `InvalidArgument`
 * {@link @blobkit/auth!StorageError} that says what is wrong: 1-1,024 characters, at most 254
 * path segments, no control characters, unpaired surrogates or the non-characters U+FFFE and
 * U+FFFF, no backslash (the service turns it into `/`), and no trailing `.` or `/` (which URL
 * normalization silently drops, so the blob would get another name than the one you gave).
 * Reserved URL characters are fine: the SDK escapes them.
 *
 * @see [Upload blobs](../../../../apps/docs/guides/upload-blobs.md)
 *
 * @example
 * ```ts
 * import { validateBlobName } from "@blobkit/blobs";
 *
 * validateBlobName("reports/2024/q1.csv"); // ok
 * validateBlobName("reports/");            // throws: must not end with "/"
 * ```
 */
export function validateBlobName(name: unknown, field = "blob name"): string {
  if (typeof name !== "string") {
    throw invalidArgument(field, `must be a string, got ${name === null ? "null" : typeof name}`);
  }
  // Only built for a message: names are checked on every upload, most of them fine.
  const shown = () => JSON.stringify(name.length > 70 ? `${name.slice(0, 70)}...` : name);
  if (name.length === 0) throw invalidArgument(field, "must not be empty");
  if (name.length > MAX_BLOB_NAME_LENGTH) {
    throw invalidArgument(
      field,
      `${shown()} is ${name.length} characters long; the limit is ${MAX_BLOB_NAME_LENGTH}`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
  const control = name.match(/[\u0000-\u001f\u007f]/);
  if (control) {
    throw invalidArgument(
      field,
      `${shown()} contains the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`,
    );
  }
  if (name.includes("\\")) {
    throw invalidArgument(
      field,
      `${shown()} contains a backslash, which the service turns into "/" (the blob would get another name); use "/" for virtual directories`,
    );
  }
  const nonCharacter = name.match(/[\ufffe\uffff]/);
  if (nonCharacter) {
    throw invalidArgument(
      field,
      `${shown()} contains U+${nonCharacter[0].charCodeAt(0).toString(16).toUpperCase()}, which is not a character (XML 1.0, the listing format, cannot carry it)`,
    );
  }
  if (!name.isWellFormed()) {
    throw invalidArgument(field, `${shown()} contains an unpaired surrogate (invalid Unicode)`);
  }
  const parts = name.split("/");
  const segments = parts.length;
  if (segments > MAX_BLOB_PATH_SEGMENTS) {
    throw invalidArgument(
      field,
      `${shown()} has ${segments} path segments; the limit is ${MAX_BLOB_PATH_SEGMENTS}`,
    );
  }
  if (/[./]$/.test(name)) {
    throw invalidArgument(
      field,
      `${shown()} must not end with "." or "/": URL normalization would drop it and address another blob`,
    );
  }
  if (parts.some((segment) => segment === "." || segment === "..")) {
    throw invalidArgument(
      field,
      `${shown()} must not contain "." or ".." path segments (URLs resolve them away)`,
    );
  }
  return name;
}
