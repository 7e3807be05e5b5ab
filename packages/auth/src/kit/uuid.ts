// Random UUIDs (lease IDs) in every runtime BlobKit runs in.

/**
 * A random UUID (version 4), e.g. for a lease ID. `crypto.randomUUID()` where it exists; a
 * browser has it only in a secure context (HTTPS, localhost), so a page served over plain HTTP
 * gets one made from `crypto.getRandomValues`, which every context has.
 *
 * @example
 * ```ts
 * import { randomUuid } from "@blobkit/auth/kit";
 *
 * const leaseId = randomUuid(); // e.g. "3b241101-e2bb-4255-8caf-4136c566a962"
 * ```
 */
export function randomUuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
