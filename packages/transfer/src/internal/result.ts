// The items of a transfer, built the same way by every transfer.
import type { TransferItem } from "../types.js";
import type { RemoteEntry } from "./compare.js";

/** A blob as the item of a result (its name is also its path): what a sync would delete. */
export function blobItem(entry: RemoteEntry): TransferItem {
  return { name: entry.name, path: entry.name, size: entry.size };
}
