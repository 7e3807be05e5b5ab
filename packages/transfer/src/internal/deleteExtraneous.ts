// The last step of a sync: deleting what the source no longer has, the blobs of a container (in
// batches) or the files of a local folder, each outcome reported.
import { unlink } from "node:fs/promises";
import type { ContainerClient } from "@azure/storage-blob";
import type { StorageError } from "@blobkit/auth";
import { fileSystemError } from "@blobkit/auth/kit";
import { deleteBlobs } from "@blobkit/blobs";
import type { TransferItem } from "../types.js";
import { codeOf } from "./walkLocal.js";

/** How a deletion tells each outcome. */
export interface DeletionReport {
  deleted(item: TransferItem): void;
  failed(item: TransferItem, error: StorageError): void;
}

/** Deletes `items` (blob names) and reports each. */
export async function deleteExtraneousBlobs(
  container: ContainerClient,
  items: readonly TransferItem[],
  report: DeletionReport,
  signal: AbortSignal | undefined,
): Promise<void> {
  const batch = await deleteBlobs(
    container,
    items.map((item) => item.name),
    { ignoreMissing: true, ...(signal ? { signal } : {}) },
  );
  batch.results.forEach((entry, index) => {
    const item = items[index] as TransferItem;
    if (entry.error) report.failed(item, entry.error);
    else report.deleted(item);
  });
}

/** Deletes local files (one already gone counts as deleted) and reports each. */
export async function deleteLocalFiles(
  items: readonly TransferItem[],
  report: DeletionReport,
  context: { operation: string; resource?: string },
): Promise<void> {
  for (const item of items) {
    try {
      await unlink(item.path);
      report.deleted(item);
    } catch (error) {
      if (codeOf(error) === "ENOENT") report.deleted(item);
      else report.failed(item, fileSystemError(error, { ...context, path: item.path }));
    }
  }
}
