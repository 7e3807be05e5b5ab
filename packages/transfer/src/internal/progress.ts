// Aggregate progress of a many-file transfer, suited to a progress bar: files and bytes done and
// total, a rate over the last few seconds and the time left at that rate. Reports are throttled,
// never go backwards, and a throwing callback never breaks the transfer.
import type { TransferPhase, TransferProgress } from "../types.js";

/** Rate window: long enough to smooth block-sized steps, short enough to follow a change. */
const RATE_WINDOW_MS = 5_000;

export class ProgressTracker {
  readonly #onProgress: ((progress: TransferProgress) => void) | undefined;
  readonly #intervalMs: number;
  readonly #started = performance.now();
  #phase: TransferPhase = "scanning";
  #scanning = true;
  #filesTotal = 0;
  #bytesTotal = 0;
  #filesDone = 0;
  #filesSkipped = 0;
  #filesFailed = 0;
  #bytesDone = 0;
  /** Bytes earlier runs moved (in `#bytesDone`, not in the rate). */
  #bytesEarlier = 0;
  #lastEmit = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  /** (time, bytesDone) samples within the rate window. */
  #samples: Array<[number, number]> = [];

  constructor(onProgress: ((progress: TransferProgress) => void) | undefined, intervalMs: number) {
    this.#onProgress = onProgress;
    this.#intervalMs = intervalMs;
  }

  get bytesDone(): number {
    return this.#bytesDone;
  }

  phase(phase: TransferPhase): void {
    this.#phase = phase;
    this.#emit(true);
  }

  /** Adds a file to move to the totals (while scanning: the totals grow until it ends). */
  planned(bytes: number): void {
    this.#filesTotal++;
    this.#bytesTotal += bytes;
    this.#emit(false);
  }

  /** The scan is over: the totals are final. */
  scanned(): void {
    this.#scanning = false;
    this.#emit(true);
  }

  /** A transfer starts: the phase moves from scanning to transferring (once). */
  transferring(): void {
    if (this.#phase === "scanning") this.phase("transferring");
  }

  bytes(delta: number): void {
    if (delta <= 0) return;
    this.#bytesDone += delta;
    this.#emit(false);
  }

  /** A file an earlier run moved (see the `checkpoint` option): done, and not in the rate. */
  earlier(bytes: number): void {
    this.#filesTotal++;
    this.#filesDone++;
    this.#bytesTotal += bytes;
    this.#bytesDone += bytes;
    this.#bytesEarlier += bytes;
    this.#emit(false);
  }

  fileDone(outcome: "done" | "skipped" | "failed"): void {
    if (outcome === "done") this.#filesDone++;
    else if (outcome === "skipped") this.#filesSkipped++;
    else this.#filesFailed++;
    this.#emit(false);
  }

  finish(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#phase = "done";
    this.#emit(true);
  }

  snapshot(): TransferProgress {
    const now = performance.now();
    const moved = this.#bytesDone - this.#bytesEarlier;
    this.#samples.push([now, moved]);
    while (this.#samples.length > 2 && now - (this.#samples[0]?.[0] ?? now) > RATE_WINDOW_MS) {
      this.#samples.shift();
    }
    const [t0, b0] = this.#samples[0] ?? [now, moved];
    const elapsed = (now - t0) / 1000;
    const bytesPerSecond = elapsed > 0.2 ? Math.round((moved - b0) / elapsed) : 0;
    const left = Math.max(0, this.#bytesTotal - this.#bytesDone);
    return {
      phase: this.#phase,
      scanning: this.#scanning,
      filesTotal: this.#filesTotal,
      filesDone: this.#filesDone,
      filesSkipped: this.#filesSkipped,
      filesFailed: this.#filesFailed,
      bytesTotal: this.#bytesTotal,
      bytesDone: this.#bytesDone,
      bytesPerSecond,
      ...(bytesPerSecond > 0 ? { etaSeconds: Math.ceil(left / bytesPerSecond) } : {}),
      elapsedMs: Math.round(now - this.#started),
    };
  }

  #emit(force: boolean): void {
    if (!this.#onProgress) return;
    const now = performance.now();
    if (!force && now - this.#lastEmit < this.#intervalMs) {
      // Make sure the last change is reported even if nothing else happens for a while.
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#emit(true);
      }, this.#intervalMs).unref();
      return;
    }
    this.#lastEmit = now;
    try {
      this.#onProgress(this.snapshot());
    } catch {
      // A progress callback must never break a transfer.
    }
  }
}
