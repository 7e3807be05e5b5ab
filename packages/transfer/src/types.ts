// The types every transfer of @blobkit/transfer shares: options, progress, items and results.
import type { OperationOptions, StorageError, StorageErrorCode } from "@blobkit/auth";
import type { TransferBudget } from "@blobkit/blobs";

/**
 * Where a transfer is: listing both sides before any file moves, moving files (while the scan
 * goes on: see {@link TransferProgress.scanning}), deleting extraneous items, or done.
 */
export type TransferPhase = "scanning" | "transferring" | "deleting" | "done";

/** A progress report of a many-file transfer; see {@link TransferOptions.onProgress}. */
export interface TransferProgress {
  phase: TransferPhase;
  /**
   * Whether folders are still being compared. Files move while the scan goes on, so until it
   * ends `filesTotal` and `bytesTotal` count what was found so far and may still grow.
   */
  scanning: boolean;
  /**
   * Files to transfer (skipped ones not included): final once `scanning` is false. With
   * `checkpoint`, this and the other totals and counts include the files earlier runs of the
   * transfer moved, so that a progress bar carries on from where the transfer stopped.
   */
  filesTotal: number;
  /** Files transferred so far. */
  filesDone: number;
  /** Files left out because they were unchanged (or, with `overwrite: "never"`, present). */
  filesSkipped: number;
  /** Files that failed (with `failurePolicy: "continue"` or a callback). */
  filesFailed: number;
  /** Bytes to transfer in this run (final once `scanning` is false), including bytes an earlier, interrupted run already sent. */
  bytesTotal: number;
  /** Bytes transferred so far, including what an earlier run sent of a resumed file. */
  bytesDone: number;
  /** Bytes per second over the last few seconds. */
  bytesPerSecond: number;
  /** Seconds left at that rate, once there is a rate. */
  etaSeconds?: number;
  /** Milliseconds since the transfer started. */
  elapsedMs: number;
}

/** One file of a transfer. */
export interface TransferItem {
  /** The blob name (with the prefix). */
  name: string;
  /** The local path (for copies: the source blob's name). */
  path: string;
  /** Size in bytes. */
  size: number;
}

/** Why an item was not transferred. */
export type SkipReason =
  /** Size and modification time (or MD5, with `compare: "md5"`) match. */
  | "unchanged"
  /** The destination exists and `overwrite` is `"never"`. */
  | "exists"
  /** A symbolic link, and `followSymlinks` is off. */
  | "symlink";

/** An item left out, with the reason. */
export interface SkippedItem extends TransferItem {
  reason: SkipReason;
}

/** An item that failed, with what went wrong. */
export interface FailedItem extends TransferItem {
  /** The error's code, for a quick `switch`. */
  code: StorageErrorCode;
  /** The error's message, which says what to do. */
  message: string;
  /** The error itself. */
  error: StorageError;
}

/**
 * One item's outcome, as it happens; see {@link TransferOptions.onItem}. In a dry run,
 * `"transferred"` and `"deleted"` say what would be.
 */
export type TransferEvent =
  | {
      outcome: "transferred";
      item: TransferItem;
      /** With `checkpoint`: an earlier run of the transfer moved it (this run found it done). */
      earlierRun?: true;
    }
  | { outcome: "skipped"; item: SkippedItem }
  | { outcome: "failed"; item: FailedItem }
  | { outcome: "deleted"; item: TransferItem };

/** How many items a transfer transferred, skipped, failed and deleted. */
export interface TransferCounts {
  transferred: number;
  skipped: number;
  failed: number;
  deleted: number;
}

/**
 * What a transfer did. Every item it considered is in exactly one list (with `keepItems: false`,
 * `transferred` and `skipped` stay empty and only `counts` has them).
 */
export interface TransferResult {
  transferred: TransferItem[];
  skipped: SkippedItem[];
  failed: FailedItem[];
  /** With `deleteExtraneous`: what was deleted (or, in a dry run, would be). */
  deleted: TransferItem[];
  /** The number of items in each list, whether or not the lists were kept. */
  counts: TransferCounts;
  /** Whether this was a dry run: nothing was transferred or deleted. */
  dryRun: boolean;
  /** Bytes sent or received in this run. */
  bytesTransferred: number;
  /**
   * With `checkpoint`: the runs of this transfer before this one, and the files (with their bytes)
   * they moved that this run found done. Those files are in `transferred`, not in `skipped`.
   */
  earlierRuns?: { runs: number; files: number; bytes: number };
  /** Milliseconds the transfer took. */
  elapsedMs: number;
}

/**
 * What to do when an item fails: `"stop"` cancels the rest and rejects with that item's error;
 * `"continue"` goes on and lists every failure in {@link TransferResult.failed}; a function
 * decides per failure.
 */
export type FailurePolicy = "stop" | "continue" | ((failure: FailedItem) => "stop" | "continue");

/**
 * Which existing destination files are replaced: `"changed"` those whose size or modification
 * time (or MD5, with `compare: "md5"`) differ, `"always"` every one, `"never"` none.
 */
export type OverwritePolicy = "changed" | "always" | "never";

/** How `"changed"` is decided: size and modification time, or the content's MD5. */
export type CompareMode = "size-and-time" | "md5";

/** Options every many-file transfer accepts. */
export interface TransferOptions extends OperationOptions {
  /**
   * Glob patterns (picomatch syntax) of the files to transfer, matched against the path below the
   * folder or prefix with "/" separators, e.g. `["**\/*.csv"]`. Everything when left out.
   */
  include?: string | readonly string[];
  /** Glob patterns of files and folders to leave out, e.g. `["node_modules/**", "**\/.*"]`. */
  exclude?: string | readonly string[];
  /** @defaultValue `"changed"` */
  overwrite?: OverwritePolicy;
  /** @defaultValue `"size-and-time"` */
  compare?: CompareMode;
  /** @defaultValue `"stop"` */
  failurePolicy?: FailurePolicy;
  /**
   * Requests in flight and block memory, shared by every file of the transfer (small files many
   * at a time, large files in blocks). Pass one budget to several transfers to bound them together.
   * @defaultValue a budget of 16 requests and 256 MiB
   */
  budget?: TransferBudget;
  /**
   * Keep every transferred and skipped item in the result. Turn it off for trees of millions of
   * files: memory then stays bounded by the largest folder, whatever the tree's size, and the
   * result keeps the counts, the failures and the deletions; `onItem` still sees every item.
   * @defaultValue true
   */
  keepItems?: boolean;
  /** Called with each item's outcome as it happens (a throwing callback is ignored). */
  onItem?: (event: TransferEvent) => void;
  /** Called with aggregate progress, at most every `progressIntervalMs` and at each phase change. */
  onProgress?: (progress: TransferProgress) => void;
  /** @defaultValue 200 */
  progressIntervalMs?: number;
  /** List what would be transferred and deleted, and do neither. */
  dryRun?: boolean;
  /**
   * A file where the transfer records what it moved, so that running the same call again after
   * a restart (the process was killed, the machine rebooted) reports the whole transfer: its
   * progress and result count the files earlier runs moved as transferred, not as unchanged.
   * Created if missing, appended to as files start, and deleted once a run ends with nothing
   * failed. What moves is still decided by comparing both sides, never by the checkpoint.
   * Refused (before any request, the file left as it is) when it is not a checkpoint, belongs
   * to another transfer (other ends or patterns), is in use by a live process, or lies inside
   * the local folder. A dry run neither reads nor writes it. It holds one line per file started,
   * and a run keeps the names of the files earlier runs moved in memory.
   */
  checkpoint?: string;
}
