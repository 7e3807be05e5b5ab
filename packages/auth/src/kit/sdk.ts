// The one place where BlobKit options become SDK options.
import type { OperationOptions } from "../types.js";

/**
 * Turns BlobKit options into the SDK's `abortSignal` option, in one place.
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { sdkOptions } from "@blobkit/auth/kit";
 *
 * declare const blob: BlobClient;
 * await blob.getProperties(sdkOptions({ signal: AbortSignal.timeout(5_000) }));
 * ```
 */
export function sdkOptions(options: OperationOptions | undefined): { abortSignal?: AbortSignal } {
  return options?.signal ? { abortSignal: options.signal } : {};
}
