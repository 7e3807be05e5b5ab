// The items and the result of a transfer, built the same way by every transfer.
import type { StorageError } from "@blobkit/auth";
import type { FailedItem, SkippedItem, TransferItem, TransferResult } from "../types.js";
import type { RemoteEntry } from "./compare.js";

export function failure(item: TransferItem, error: StorageError): FailedItem {
  return { ...item, code: error.code, message: error.message, error };
}

export function transferResult(
  parts: {
    transferred: TransferItem[];
    skipped: SkippedItem[];
    failed: FailedItem[];
    deleted: TransferItem[];
    dryRun: boolean;
    bytes: number;
  },
  started: number,
): TransferResult {
  return {
    transferred: parts.transferred,
    skipped: parts.skipped,
    failed: parts.failed,
    deleted: parts.deleted,
    dryRun: parts.dryRun,
    bytesTransferred: parts.dryRun ? 0 : parts.bytes,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Blobs as the items of a result (their name is also their path): what a sync would delete. */
export function blobItems(entries: Iterable<RemoteEntry>): TransferItem[] {
  return [...entries].map((entry) => ({ name: entry.name, path: entry.name, size: entry.size }));
}
