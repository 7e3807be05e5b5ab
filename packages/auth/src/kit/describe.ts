// How every message of the kit names what was being done: "Delete blob (blob 'c/a.txt')".

/** An operation (`"delete blob"`), or an error context naming the operation and what it acted on. */
export type OperationLabel = string | { readonly operation: string; readonly resource?: string };

/**
 * The lead-in of BlobKit's messages: the operation, capitalized, with its resource.
 *
 * @example
 * ```ts
 * import { describeOperation } from "@blobkit/auth/kit";
 *
 * describeOperation({ operation: "delete blob", resource: "blob 'c/a.txt'" }); // "Delete blob (blob 'c/a.txt')"
 * describeOperation("list containers"); // "List containers"
 * ```
 */
export function describeOperation(what: OperationLabel | undefined): string {
  if (what === undefined) return "The request";
  const operation = typeof what === "string" ? what : what.operation;
  const text = operation.charAt(0).toUpperCase() + operation.slice(1);
  const resource = typeof what === "string" ? undefined : what.resource;
  return resource ? `${text} (${resource})` : text;
}

/**
 * A short rendering of any value for an `InvalidArgument` message: JSON for strings and plain
 * data, but never a TypeError for what JSON and `String()` cannot handle (BigInt, symbols,
 * null-prototype objects, cycles): a validator must fail with its own error, not that.
 *
 * @example
 * ```ts
 * import { describeValue } from "@blobkit/auth/kit";
 *
 * describeValue("Hot"); // '"Hot"'
 * describeValue(10n); // "10n"
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol" || typeof value === "function") return typeof value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
