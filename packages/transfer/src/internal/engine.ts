// Runs a many-file transfer as it scans: folders are read on both sides a few at a time, one
// folder in memory each, and what a folder's comparison decides is transferred while the next
// folders are read (rclone's "march"). Memory is bounded by the largest folder and the queue of
// files waiting for a slot, never by the tree. One AbortSignal stops everything, the failure
// policy is applied per item, and every outcome is recorded so that nothing fails silently.
import { isStorageError, type StorageError, toStorageError } from "@blobkit/auth";
import { abortedError, describeOperation, withMessage } from "@blobkit/auth/kit";
import type { FailedItem, SkippedItem, TransferItem, TransferResult } from "../types.js";
import { Checkpoint } from "./checkpoint.js";
import type { DeletionReport } from "./deleteExtraneous.js";
import type { TransferSettings } from "./options.js";
import { Outcomes } from "./outcomes.js";

/** One item's work. `onBytes` takes the bytes moved so far by this item (cumulative). */
export interface Task {
  item: TransferItem;
  run(signal: AbortSignal, onBytes: (loaded: number) => void): Promise<void>;
}

/** What a folder's scan reports, as it goes. */
export interface Sink {
  /** Queues a transfer; waits while the queue is full (which bounds a scan's memory). */
  transfer(task: Task): Promise<void>;
  skip(item: SkippedItem): void;
  /** Records a failure found while scanning; the failure policy may stop the transfer. */
  fail(item: TransferItem, error: StorageError): void;
  /** Something a sync would delete at the destination. */
  extraneous(item: TransferItem): void;
  /** Stops the scan when the transfer is stopping (the caller aborted, or the policy said stop). */
  readonly signal: AbortSignal;
}

/** How a transfer scans and what it does at the end: the part each transfer defines. */
export interface MarchPlan<F> {
  /** What the whole transfer is, for messages. */
  context: { operation: string; resource?: string };
  /** The folders to scan first (usually the root). */
  roots: F[];
  /** Compares one folder of both sides, reports through `sink`, returns the folders to scan next. */
  scan(folder: F, sink: Sink): Promise<F[]>;
  /** Deletes `extraneous`; reports each deletion or failure. */
  deleteExtraneous(items: readonly TransferItem[], report: DeletionReport): Promise<void>;
  /** Work before the first transfer that a dry run must not do (creating the local folder). */
  prepare?: () => Promise<void>;
  /**
   * Both ends, as a checkpoint records them: a local folder's absolute path, or a container's
   * URL without its query, with the prefix.
   */
  ends: { source: string; destination: string };
}

/** Folders scanned at once: each is a listing request (or two) with the service's latency. */
const PARALLEL_SCANS = 8;
/** Files decided and waiting for a slot, beyond those in flight. */
const QUEUE_LIMIT = 1_000;

/**
 * Scans `plan`'s folders and runs what they decide: returns the result, or throws the error that
 * stopped it (the caller's abort, or the first failure under `failurePolicy: "stop"`).
 */
export async function march<F>(
  plan: MarchPlan<F>,
  settings: TransferSettings,
  started: number,
): Promise<TransferResult> {
  const { progress, dryRun } = settings;
  // Opened before any request: a checkpoint of another transfer fails here, nothing sent.
  const checkpoint =
    settings.checkpoint !== undefined && !dryRun
      ? await Checkpoint.open(
          settings.checkpoint,
          { operation: plan.context.operation, ...plan.ends, ...settings.filter.patterns },
          plan.context,
          (error) => halt(error),
        )
      : undefined;
  const outcomes = new Outcomes(settings, checkpoint);
  const stop = new AbortController();
  const signal = settings.signal ? AbortSignal.any([settings.signal, stop.signal]) : stop.signal;
  let stopError: StorageError | undefined;
  const extraneous: TransferItem[] = [];

  const decide = (failure: FailedItem): "stop" | "continue" => {
    const policy = settings.failurePolicy;
    if (typeof policy !== "function") return policy;
    try {
      return policy(failure) === "continue" ? "continue" : "stop";
    } catch {
      return "stop"; // a throwing callback must not make a failure silent
    }
  };
  const halt = (error: StorageError) => {
    stopError ??= error;
    stop.abort(error);
    queue.clear();
  };
  const fail = (item: TransferItem, error: StorageError) => {
    if (signal.aborted) return;
    const failure = outcomes.failed(item, error);
    if (decide(failure) === "stop") {
      halt(
        withMessage(
          error,
          `${describeOperation(plan.context)} stopped at ${JSON.stringify(item.path)} -> ${JSON.stringify(item.name)}: ${error.message} ${outcomes.counts.transferred} file(s) were transferred before it stopped; run it again to resume (unchanged files are skipped).`,
        ),
      );
    }
  };

  const queue = new TaskQueue(settings.concurrency, QUEUE_LIMIT, async (task) => {
    if (signal.aborted) return;
    progress.transferring();
    outcomes.started(task.item);
    let reported = 0;
    const onBytes = (loaded: number) => {
      if (loaded > reported) {
        progress.bytes(loaded - reported);
        reported = loaded;
      }
    };
    try {
      await task.run(signal, onBytes);
      onBytes(task.item.size);
      outcomes.transferred(task.item);
    } catch (caught) {
      if (signal.aborted) return;
      fail(task.item, isStorageError(caught) ? caught : toStorageError(caught, plan.context));
    }
  });

  const sink: Sink = {
    signal,
    transfer: async (task) => {
      if (signal.aborted) return;
      progress.planned(task.item.size);
      if (dryRun) outcomes.transferred(task.item, false);
      else await queue.add(task);
    },
    skip: (item) => outcomes.skipped(item),
    fail,
    extraneous: (item) => {
      extraneous.push(item);
    },
  };

  let complete = false;
  try {
    try {
      if (!dryRun) await plan.prepare?.();
      await scanAll();
    } catch (caught) {
      // A listing that failed for good (or anything unexpected) stops the transfer whatever the
      // policy: what was not listed cannot be compared, and a sync must not delete on a partial
      // view.
      if (!signal.aborted)
        halt(isStorageError(caught) ? caught : toStorageError(caught, plan.context));
    }
    progress.scanned();
    await queue.drained();
    if (settings.signal?.aborted) throw abortedError(plan.context, settings.signal.reason);
    if (stopError) throw stopError;

    // A sync deletes only after every transfer succeeded.
    if (extraneous.length > 0 && outcomes.counts.failed === 0) {
      if (dryRun) for (const item of extraneous) outcomes.deleted(item);
      else {
        progress.phase("deleting");
        await plan.deleteExtraneous(extraneous, {
          deleted: (item) => outcomes.deleted(item),
          failed: (item, error) => outcomes.failed(item, error),
        });
      }
    }
    if (stopError) throw stopError;
    complete = outcomes.counts.failed === 0;
    progress.finish();
    // A dry run moved nothing: bytesDone is 0.
    return outcomes.result(dryRun, progress.bytesDone, started);
  } finally {
    // Kept for the next run unless everything is done.
    await checkpoint?.close(complete);
  }

  async function scanAll(): Promise<void> {
    // Depth first (a stack), so that the folders waiting are few: at most the siblings along one
    // path. Each worker scans one folder at a time.
    const stack = [...plan.roots].reverse();
    let busy = 0;
    let wake: (() => void) | undefined;
    let failure: unknown;
    const worker = async (): Promise<void> => {
      for (;;) {
        if (signal.aborted || failure !== undefined) return;
        const folder = stack.pop();
        if (folder === undefined) {
          if (busy === 0) {
            wake?.();
            return;
          }
          await new Promise<void>((resolve) => {
            const previous = wake;
            wake = () => {
              previous?.();
              resolve();
            };
          });
          continue;
        }
        busy++;
        try {
          const next = await plan.scan(folder, sink);
          for (let i = next.length - 1; i >= 0; i--) stack.push(next[i] as F);
        } catch (error) {
          failure ??= error;
        } finally {
          busy--;
          const waiting = wake;
          wake = undefined;
          waiting?.();
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_SCANS }, worker));
    if (failure !== undefined) throw failure;
  }
}

/**
 * Tasks waiting for one of `concurrency` slots. `add` resolves once the task is queued, and waits
 * while `limit` tasks are already waiting: a scan that decides faster than files move holds
 * still instead of filling memory.
 */
class TaskQueue {
  readonly #concurrency: number;
  readonly #limit: number;
  readonly #run: (task: Task) => Promise<void>;
  #waiting: Task[] = [];
  #head = 0;
  #running = 0;
  #space: Array<() => void> = [];
  #idle: Array<() => void> = [];

  constructor(concurrency: number, limit: number, run: (task: Task) => Promise<void>) {
    this.#concurrency = Math.max(1, concurrency);
    this.#limit = limit;
    this.#run = run;
  }

  async add(task: Task): Promise<void> {
    this.#waiting.push(task);
    this.#pump();
    if (this.#waiting.length - this.#head > this.#limit) {
      await new Promise<void>((resolve) => this.#space.push(resolve));
    }
  }

  /** Drops the tasks not started and releases whoever waits to add. */
  clear(): void {
    this.#waiting = [];
    this.#head = 0;
    for (const resolve of this.#space.splice(0)) resolve();
    this.#settle();
  }

  /** Resolves once no task runs or waits. */
  drained(): Promise<void> {
    if (this.#running === 0 && this.#waiting.length === this.#head) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#head < this.#waiting.length) {
      const task = this.#waiting[this.#head++] as Task;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      this.#running++;
      void this.#run(task).finally(() => {
        this.#running--;
        this.#pump();
        this.#settle();
      });
    }
  }

  #settle(): void {
    if (this.#waiting.length - this.#head <= this.#limit) {
      for (const resolve of this.#space.splice(0)) resolve();
    }
    if (this.#running === 0 && this.#waiting.length === this.#head) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
