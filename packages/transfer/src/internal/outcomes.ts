// The outcomes of a many-file transfer as they happen: counted, kept for the result (unless
// `keepItems` is off), told to `onItem`, reflected in progress, and, with a checkpoint, recorded
// for the next run (and recognized when an earlier run moved an item).
import type { StorageError } from "@blobkit/auth";
import type {
  FailedItem,
  SkippedItem,
  TransferEvent,
  TransferItem,
  TransferResult,
} from "../types.js";
import type { Checkpoint } from "./checkpoint.js";
import type { TransferSettings } from "./options.js";

/**
 * The outcomes of a transfer: counts always; the items themselves unless `keepItems` is off
 * (failures and deletions are always kept); each one told to `onItem` as it happens.
 */
export class Outcomes {
  readonly counts = { transferred: 0, skipped: 0, failed: 0, deleted: 0 };
  readonly #transferred: TransferItem[] = [];
  readonly #skipped: SkippedItem[] = [];
  readonly #failed: FailedItem[] = [];
  readonly #deleted: TransferItem[] = [];
  readonly #keep: boolean;
  readonly #onItem: ((event: TransferEvent) => void) | undefined;
  readonly #progress: TransferSettings["progress"];
  readonly #checkpoint: Checkpoint | undefined;
  /** What earlier runs moved that this run found done (with a checkpoint). */
  readonly #earlier = { files: 0, bytes: 0 };

  constructor(settings: TransferSettings, checkpoint: Checkpoint | undefined) {
    this.#keep = settings.keepItems;
    this.#onItem = settings.onItem;
    this.#progress = settings.progress;
    this.#checkpoint = checkpoint;
  }

  /** `moved` is false in a dry run: the item is listed, but progress counts nothing as done. */
  transferred(item: TransferItem, moved = true): void {
    this.counts.transferred++;
    if (this.#keep) this.#transferred.push(item);
    if (moved) this.#progress.fileDone("done");
    this.#tell({ outcome: "transferred", item });
  }

  /**
   * An item's transfer starts. The checkpoint records it now rather than once it is done: a
   * file whose last request reached the service just as the run was stopped is stored without
   * the run knowing, and the next run, finding it unchanged, can still tell that an earlier run
   * moved it (a file that was unchanged before the earlier run was never started by it).
   */
  started(item: TransferItem): void {
    this.#checkpoint?.record(item.name, item.size);
  }

  skipped(item: SkippedItem): void {
    if (item.reason !== "symlink" && this.#checkpoint?.movedBefore(item.name, item.size)) {
      // Found done because an earlier run of this transfer moved it: part of the transfer.
      const { reason: _, ...moved } = item;
      this.counts.transferred++;
      if (this.#keep) this.#transferred.push(moved);
      this.#earlier.files++;
      this.#earlier.bytes += item.size;
      this.#progress.earlier(item.size);
      this.#tell({ outcome: "transferred", item: moved, earlierRun: true });
      return;
    }
    this.counts.skipped++;
    if (this.#keep) this.#skipped.push(item);
    this.#progress.fileDone("skipped");
    this.#tell({ outcome: "skipped", item });
  }

  failed(item: TransferItem, error: StorageError): FailedItem {
    const failure: FailedItem = { ...item, code: error.code, message: error.message, error };
    this.counts.failed++;
    this.#failed.push(failure);
    this.#progress.fileDone("failed");
    this.#tell({ outcome: "failed", item: failure });
    return failure;
  }

  deleted(item: TransferItem): void {
    this.counts.deleted++;
    this.#deleted.push(item);
    this.#tell({ outcome: "deleted", item });
  }

  result(dryRun: boolean, bytes: number, started: number): TransferResult {
    return {
      transferred: this.#transferred,
      skipped: this.#skipped,
      failed: this.#failed,
      deleted: this.#deleted,
      counts: { ...this.counts },
      dryRun,
      bytesTransferred: bytes - this.#earlier.bytes,
      elapsedMs: Math.round(performance.now() - started),
      ...(this.#checkpoint
        ? { earlierRuns: { runs: this.#checkpoint.earlierRuns, ...this.#earlier } }
        : {}),
    };
  }

  #tell(event: TransferEvent): void {
    if (!this.#onItem) return;
    try {
      this.#onItem(event);
    } catch {
      // An item callback must never break a transfer (as a progress callback).
    }
  }
}
