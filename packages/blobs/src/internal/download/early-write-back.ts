// Early write-back for durable downloads to a file. Without it, a large download leaves all its
// bytes dirty in the page cache, and the flush before the rename writes them all while nothing
// else happens (1 GiB: seconds on a slow disk). Asking for the write-back while the download
// runs overlaps it with the network (decision 17 has the numbers).
import type { FileHandle } from "node:fs/promises";

/** Bytes written to a file between two early write-backs. */
export const WRITE_BACK_EVERY = 32 * 1024 * 1024;

/** Whether a write-back runs in this process now: one at a time (each holds a thread-pool thread). */
let writingBack = false;

/**
 * Asks the kernel to write a durable download's bytes to disk while it runs: `fdatasync` once
 * every {@link WRITE_BACK_EVERY} bytes written, one file at a time per process (a folder of large
 * files must not tie up every thread of the pool), so the flush before the rename has little left.
 * A failed write-back is kept for {@link EarlyWriteBack.done}: after a failed flush, Linux reports
 * the error once, and the next flush of the same file may succeed over lost pages.
 */
export class EarlyWriteBack {
  private readonly file: Pick<FileHandle, "datasync">;
  private readonly every: number;
  private pending = 0;
  private running: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(file: Pick<FileHandle, "datasync">, every = WRITE_BACK_EVERY) {
    this.file = file;
    this.every = every;
  }

  /** Counts `bytes` written; starts a write-back when enough are pending and none runs. */
  wrote(bytes: number): void {
    this.pending += bytes;
    if (this.pending < this.every || this.running !== undefined || writingBack) return;
    this.pending = 0;
    writingBack = true;
    this.running = this.file
      .datasync()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        writingBack = false;
        this.running = undefined;
      });
  }

  /** Resolves once no write-back runs (before the file is closed). Never rejects. */
  async settled(): Promise<void> {
    await this.running;
  }

  /** Waits for a write-back that runs; rejects with the first failed one's error, if any. */
  async done(): Promise<void> {
    await this.running;
    if (this.failure !== undefined) throw this.failure.error;
  }
}
