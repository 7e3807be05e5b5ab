// The last step of a sync to a container: deleting the blobs the source no longer has, in
// batches, each outcome recorded.
import type { ContainerClient } from "@azure/storage-blob";
import { deleteBlobs } from "@blobkit/blobs";
import type { FailedItem, TransferItem } from "../types.js";
import type { TransferSettings } from "./options.js";
import { failure } from "./result.js";

/** Deletes `items` (blob names); returns those deleted, and adds the failures to `failed`. */
export async function deleteExtraneousBlobs(
  container: ContainerClient,
  items: readonly TransferItem[],
  failed: FailedItem[],
  { progress, signal }: TransferSettings,
): Promise<TransferItem[]> {
  progress.phase("deleting");
  const deleted: TransferItem[] = [];
  const batch = await deleteBlobs(
    container,
    items.map((item) => item.name),
    { ignoreMissing: true, ...(signal ? { signal } : {}) },
  );
  batch.results.forEach((entry, index) => {
    const item = items[index] as TransferItem;
    if (entry.error) failed.push(failure(item, entry.error));
    else deleted.push(item);
  });
  return deleted;
}
