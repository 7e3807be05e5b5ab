// Blob index tag rules, checked before any request.
import { invalidArgument } from "@blobkit/auth/kit";

/** Blob index tags: up to 10 case-sensitive key/value pairs. */
export type Tags = Record<string, string>;

/** Most tags a blob may carry. */
export const MAX_TAGS = 10;
/** Longest tag key, in characters. */
export const MAX_TAG_KEY_LENGTH = 128;
/** Longest tag value, in characters. */
export const MAX_TAG_VALUE_LENGTH = 256;

const TAG_CHARS = /^[A-Za-z0-9 +\-.:=_/]*$/;

/**
 * Checks blob index tags and throws an `InvalidArgument` {@link @blobkit/auth!StorageError}
 * naming the tag and the rule: at most 10 tags; keys 1-128 characters, values 0-256; only
 * letters, digits, space and `+ - . : = _ /`; keys not all spaces; and no key `__proto__`, which JavaScript objects
 * (the SDK's tag maps among them) cannot carry. Returns a copy safe to send.
 *
 * @see [Upload blobs: Upload a file, with metadata, tags and tier](../../../../apps/docs/guides/upload-blobs.md#upload-a-file-with-metadata-tags-and-tier)
 *
 * @example
 * ```ts
 * import { validateTags } from "@blobkit/blobs";
 *
 * validateTags({ project: "apollo", status: "in-review" }); // ok
 * validateTags({ "cost center": "42€" });                    // throws: "€" is not allowed
 * ```
 */
export function validateTags(tags: unknown, field = "tags"): Tags {
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
    throw invalidArgument(field, "must be an object of string keys to string values");
  }
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) {
    throw invalidArgument(field, `has ${entries.length} tags; a blob may have at most ${MAX_TAGS}`);
  }
  for (const [key, value] of entries) {
    const where = `${field}.${key}`;
    if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH) {
      throw invalidArgument(
        where,
        `key must be 1-${MAX_TAG_KEY_LENGTH} characters, got ${key.length}`,
      );
    }
    if (!TAG_CHARS.test(key)) {
      throw invalidArgument(
        where,
        `key ${JSON.stringify(key)} has a character other than letters, digits, space and + - . : = _ /`,
      );
    }
    if (key.trim() === "") {
      throw invalidArgument(where, "key must contain a character other than spaces");
    }
    if (key === "__proto__") {
      throw invalidArgument(
        where,
        'key "__proto__" is not supported: JavaScript objects, including the Azure SDK\'s tag maps, cannot hold it as a plain key',
      );
    }
    if (typeof value !== "string") {
      throw invalidArgument(
        where,
        `value must be a string, got ${value === null ? "null" : typeof value}`,
      );
    }
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      throw invalidArgument(
        where,
        `value must be at most ${MAX_TAG_VALUE_LENGTH} characters, got ${value.length}`,
      );
    }
    if (!TAG_CHARS.test(value)) {
      throw invalidArgument(
        where,
        `value ${JSON.stringify(value)} has a character other than letters, digits, space and + - . : = _ /`,
      );
    }
  }
  // fromEntries defines own properties, so no key can reach the prototype.
  return Object.fromEntries(entries) as Tags;
}
