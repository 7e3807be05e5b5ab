// Metadata rules shared by containers and blobs, checked before any request.
import { invalidArgument } from "@blobkit/auth/kit";
import type { Metadata } from "../types.js";

const utf8 = new TextEncoder();

/** Largest total size of metadata names and values, in bytes. */
export const MAX_METADATA_BYTES = 8 * 1024;

/** C# identifier rule as Azure applies it to metadata names (ASCII subset). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** C# keywords cannot be metadata names. */
const CSHARP_KEYWORDS = new Set(
  "abstract as base bool break byte case catch char checked class const continue decimal default delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface internal is lock long namespace new null object operator out override params private protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using virtual void volatile while".split(
    " ",
  ),
);

/**
 * Checks user metadata before any request and throws an `InvalidArgument`
 * {@link @blobkit/auth!StorageError} naming the entry and the rule: names are C# identifiers
 * (letters, digits, `_`, not starting with a digit, not a C# keyword), unique ignoring case;
 * values are non-empty printable ASCII without leading or trailing spaces (valid HTTP header
 * values; an empty one would not be stored); names
 * and values together are at most 8 KiB. Returns a copy safe to send.
 *
 * @see [Manage container properties and metadata: Metadata rules](../../../../apps/docs/guides/container-properties-metadata.md#metadata-rules)
 *
 * @example
 * ```ts
 * import { validateMetadata } from "@blobkit/containers";
 *
 * validateMetadata({ owner: "finance", reviewed: "2024-05-01" }); // ok
 * validateMetadata({ "content-type": "x" }); // throws: not a C# identifier
 * ```
 */
export function validateMetadata(metadata: unknown, field = "metadata"): Metadata {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw invalidArgument(field, "must be an object of string names to string values");
  }
  // A Map or class instance has no own entries to send: it would silently become empty metadata.
  const proto = Object.getPrototypeOf(metadata);
  if (proto !== Object.prototype && proto !== null) {
    throw invalidArgument(
      field,
      "must be a plain object of string names to string values (for a Map, use Object.fromEntries(map))",
    );
  }
  const seen = new Map<string, string>();
  let bytes = 0;
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(metadata)) {
    const where = `${field}.${name}`;
    if (!IDENTIFIER.test(name)) {
      throw invalidArgument(
        where,
        `name ${JSON.stringify(name)} is not a C# identifier: use letters, digits and _ only, not starting with a digit`,
      );
    }
    if (CSHARP_KEYWORDS.has(name)) {
      throw invalidArgument(
        where,
        `name ${JSON.stringify(name)} is a C# keyword, which Azure rejects`,
      );
    }
    const lower = name.toLowerCase();
    const previous = seen.get(lower);
    if (previous !== undefined) {
      throw invalidArgument(
        where,
        `name ${JSON.stringify(name)} duplicates ${JSON.stringify(previous)}: metadata names are case-insensitive`,
      );
    }
    seen.set(lower, name);
    if (typeof value !== "string") {
      throw invalidArgument(
        where,
        `value must be a string, got ${value === null ? "null" : typeof value}`,
      );
    }
    if (value === "") {
      // Sent as an empty x-ms-meta-* header, which is not stored (Azurite drops it; the SDK's
      // users report the same on Azure): the entry would vanish without an error.
      throw invalidArgument(
        where,
        "value must not be empty: an empty metadata value is not stored; leave the entry out",
      );
    }
    if (/[^\x20-\x7e]/.test(value)) {
      throw invalidArgument(
        where,
        "value must be printable ASCII (it travels as an HTTP header); encode other text, e.g. with encodeURIComponent",
      );
    }
    if (value !== value.trim()) {
      throw invalidArgument(where, "value must not start or end with spaces (HTTP drops them)");
    }
    bytes += utf8.encode(name).length + value.length; // the value is ASCII (checked above)
    entries.push([name, value]);
  }
  if (bytes > MAX_METADATA_BYTES) {
    throw invalidArgument(
      field,
      `names and values total ${bytes} bytes; the limit is ${MAX_METADATA_BYTES} (8 KiB)`,
    );
  }
  // fromEntries defines own properties, so a name such as `__proto__` is kept, not swallowed.
  return Object.fromEntries(entries);
}
