// The option checks every BlobKit function runs before any request: one wording for each rule,
// so the same mistake reads the same in every package.
import { invalidArgument } from "../StorageError.js";
import { describeValue } from "./describe.js";

/** Bounds of {@link checkInteger}. */
export interface IntegerRule {
  /** Smallest value allowed. */
  min: number;
  /** Largest value allowed. */
  max: number;
  /** What the number counts, for the message: `"bytes"`, `"seconds"`. */
  unit?: string;
}

/**
 * Checks that `value` is an integer within the rule's bounds and returns it, or `fallback` when
 * `value` is `undefined`; throws `InvalidArgument` naming `field` otherwise.
 *
 * @example
 * ```ts
 * import { checkInteger } from "@blobkit/auth/kit";
 *
 * const concurrency = checkInteger("concurrency", undefined, { min: 1, max: 64 }, 8); // 8
 * checkInteger("maxPageSize", 0, { min: 1, max: 5000 }); // throws: must be an integer from 1 to 5000, got 0
 * ```
 */
export function checkInteger(field: string, value: unknown, rule: IntegerRule): number | undefined;
export function checkInteger(
  field: string,
  value: unknown,
  rule: IntegerRule,
  fallback: number,
): number;
export function checkInteger(
  field: string,
  value: unknown,
  rule: IntegerRule,
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < rule.min ||
    value > rule.max
  ) {
    throw invalidArgument(
      field,
      `must be an integer from ${rule.min} to ${rule.max}${rule.unit ? ` (${rule.unit})` : ""}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Checks an optional boolean option.
 *
 * @example
 * ```ts
 * import { checkBoolean } from "@blobkit/auth/kit";
 *
 * const overwrite = checkBoolean("overwrite", undefined, true); // true
 * ```
 */
export function checkBoolean(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw invalidArgument(field, "must be true or false");
  return value;
}

/**
 * Checks that an optional option is one of `choices`.
 *
 * @example
 * ```ts
 * import { checkChoice } from "@blobkit/auth/kit";
 *
 * const checksum = checkChoice("checksum", "md5", ["md5", "none"] as const, "md5"); // "md5"
 * ```
 */
export function checkChoice<const T extends string>(
  field: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    const list = choices.map((choice) => JSON.stringify(choice));
    const text = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list.at(-1)}` : list[0];
    throw invalidArgument(field, `must be ${text}; got ${describeValue(value)}`);
  }
  return value as T;
}

/**
 * Checks an optional non-empty string option.
 *
 * @example
 * ```ts
 * import { checkOptionalString } from "@blobkit/auth/kit";
 *
 * checkOptionalString("prefix", undefined); // undefined
 * ```
 */
export function checkOptionalString(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    throw invalidArgument(field, "must be a non-empty string");
  }
  return value;
}

/**
 * Checks a value that will travel as an HTTP header (a content type, an ETag, a lease id, a tag
 * condition): printable ASCII and tabs only. A CR or LF would be stripped or refused on the way,
 * so the request would not say what the caller meant.
 *
 * @example
 * ```ts
 * import { checkHeaderValue } from "@blobkit/auth/kit";
 *
 * checkHeaderValue("contentType", "text/csv"); // "text/csv"
 * checkHeaderValue("ifMatch", '"0x1"\r\nx-injected: 1'); // throws InvalidArgument naming ifMatch
 * ```
 */
export function checkHeaderValue(field: string, value: unknown): string | undefined {
  const text = checkOptionalString(field, value);
  if (text !== undefined && /[^\t\x20-\x7e]/.test(text)) {
    throw invalidArgument(
      field,
      `${JSON.stringify(text)} is not a valid HTTP header value: use printable ASCII (encode other text, e.g. RFC 5987 for Content-Disposition file names)`,
    );
  }
  return text;
}

/**
 * Checks that `options` is an object (or left out), so that a misplaced argument fails clearly.
 *
 * @example
 * ```ts
 * import { checkOptionsObject } from "@blobkit/auth/kit";
 *
 * const options = checkOptionsObject<{ signal?: AbortSignal }>(undefined); // {}
 * ```
 */
export function checkOptionsObject<T extends object>(options: T | undefined, field = "options"): T {
  if (options === undefined) return {} as T;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw invalidArgument(field, `must be an object, got ${describeValue(options)}`);
  }
  return options;
}
