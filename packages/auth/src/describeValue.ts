// Shows an unexpected input in an error message without ever throwing while doing so.

/**
 * A short rendering of any value for an `InvalidArgument` message: JSON for strings and plain
 * data, as before, but never a TypeError for what JSON and `String()` cannot handle (BigInt,
 * symbols, null-prototype objects, cycles): a validator must fail with its own error, not that.
 *
 * @example
 * ```ts
 * throw invalidArgument("tier", `must be Hot, Cool, Cold or Archive, got ${describeValue(tier)}`);
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
