// The last step of a sync: deleting what the source no longer has, the blobs of a container (in
// batches) or the files of a local folder, each outcome recorded.
import { unlink } from "node:fs/promises";
import type { ContainerClient } from "@azure/storage-blob";
import { fileSystemError } from "@blobkit/auth/kit";
import { deleteBlobs } from "@blobkit/blobs";
import type { FailedItem, TransferItem } from "../types.js";
import type { TransferSettings } from "./options.js";
import { failure } from "./result.js";
import { codeOf } from "./walkLocal.js";

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

/** Deletes local files; returns those gone (or already gone), adds the failures to `failed`. */
export async function deleteLocalFiles(
  items: readonly TransferItem[],
  failed: FailedItem[],
  { progress }: TransferSettings,
  context: { operation: string; resource?: string },
): Promise<TransferItem[]> {
  progress.phase("deleting");
  const deleted: TransferItem[] = [];
  for (const item of items) {
    try {
      await unlink(item.path);
      deleted.push(item);
    } catch (error) {
      if (codeOf(error) === "ENOENT") deleted.push(item);
      else failed.push(failure(item, fileSystemError(error, { ...context, path: item.path })));
    }
  }
  return deleted;
}
