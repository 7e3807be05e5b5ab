// Runs the items of a many-file transfer: `concurrency` files at a time (each file's blocks or
// ranges draw on the shared budget), one AbortSignal that stops them all, the failure policy
// applied per item, and every outcome recorded so that nothing fails silently.
import { isStorageError, StorageError, toStorageError } from "@blobkit/auth";
import { abortedError, describeOperation, withMessage } from "@blobkit/auth/kit";
import type {
  FailedItem,
  FailurePolicy,
  SkippedItem,
  TransferItem,
  TransferResult,
} from "../types.js";
import type { TransferSettings } from "./options.js";
import type { ProgressTracker } from "./progress.js";
import { transferResult } from "./result.js";

/** One item's work. `onBytes` takes the bytes moved so far by this item (cumulative). */
export interface Task {
  item: TransferItem;
  run(signal: AbortSignal, onBytes: (loaded: number) => void): Promise<void>;
}

export interface RunOptions {
  /** What the whole transfer is, for messages: `{ operation: "upload directory", resource }`. */
  context: { operation: string; resource?: string };
  concurrency: number;
  signal: AbortSignal | undefined;
  failurePolicy: FailurePolicy;
  progress: ProgressTracker;
}

/** Runs `tasks`; returns what was done and what failed, or throws when the policy says stop. */
export async function runTasks(
  tasks: readonly Task[],
  options: RunOptions,
): Promise<{ transferred: TransferItem[]; failed: FailedItem[] }> {
  const transferred: TransferItem[] = [];
  const failed: FailedItem[] = [];
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let stopError: StorageError | undefined;
  let next = 0;

  const decide = (failure: FailedItem): "stop" | "continue" => {
    const policy = options.failurePolicy;
    if (typeof policy !== "function") return policy;
    try {
      return policy(failure) === "continue" ? "continue" : "stop";
    } catch {
      return "stop"; // a throwing callback must not make a failure silent
    }
  };

  const worker = async () => {
    while (!signal.aborted) {
      const task = tasks[next++];
      if (task === undefined) return;
      let reported = 0;
      const onBytes = (loaded: number) => {
        if (loaded > reported) {
          options.progress.bytes(loaded - reported);
          reported = loaded;
        }
      };
      try {
        await task.run(signal, onBytes);
        onBytes(task.item.size);
        transferred.push(task.item);
        options.progress.fileDone("done");
      } catch (caught) {
        if (options.signal?.aborted || (stop.signal.aborted && stopError)) return;
        const error = isStorageError(caught) ? caught : toStorageError(caught, options.context);
        const failure: FailedItem = {
          ...task.item,
          code: error.code,
          message: error.message,
          error,
        };
        failed.push(failure);
        options.progress.fileDone("failed");
        if (decide(failure) === "stop") {
          stopError ??= withMessage(
            error,
            `${describeOperation(options.context)} stopped at ${JSON.stringify(task.item.path)} -> ${JSON.stringify(task.item.name)}: ${error.message} ${transferred.length} file(s) were transferred before it stopped; run it again to resume (unchanged files are skipped).`,
          );
          stop.abort();
          return;
        }
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, tasks.length)) }, worker),
  );
  if (options.signal?.aborted) throw abortedError(options.context, options.signal.reason);
  if (stopError) throw stopError;
  return { transferred, failed };
}

/** Rethrows an Aborted error as is, wraps anything else as `StorageError`. */
export function asStorageError(error: unknown, context: { operation: string }): StorageError {
  return error instanceof StorageError ? error : toStorageError(error, context);
}

/** What a transfer decided to do: the part every transfer runs the same way. */
export interface TransferPlan {
  /** What the whole transfer is, for messages. */
  context: { operation: string; resource?: string };
  /** The items to transfer, with their work. */
  tasks: readonly Task[];
  skipped: SkippedItem[];
  /** Failures found while planning; the transfer's own are added. */
  failed: FailedItem[];
  /** What a sync would delete at the destination (empty unless `deleteExtraneous`). */
  extraneous: readonly TransferItem[];
  /** Deletes `extraneous`; returns what went and adds the failures to `failed`. */
  deleteExtraneous(failed: FailedItem[]): Promise<TransferItem[]>;
  /** Work before the first transfer that a dry run must not do (creating the local folder). */
  prepare?: () => Promise<void>;
}

/**
 * Reports the plan to the progress tracker, then returns it as a dry run, or runs its tasks and,
 * when every one succeeded, the deletions of a sync.
 */
export async function executePlan(
  plan: TransferPlan,
  settings: TransferSettings,
  started: number,
): Promise<TransferResult> {
  const { progress } = settings;
  const { skipped, failed } = plan;
  progress.plan(
    plan.tasks.length,
    plan.tasks.reduce((sum, task) => sum + task.item.size, 0),
  );
  for (const _ of skipped) progress.fileDone("skipped");
  if (settings.dryRun) {
    progress.finish();
    const transferred = plan.tasks.map((task) => task.item);
    const deleted = [...plan.extraneous];
    return transferResult(
      { transferred, skipped, failed, deleted, dryRun: true, bytes: 0 },
      started,
    );
  }
  progress.phase("transferring");
  await plan.prepare?.();
  const outcome = await runTasks(plan.tasks, {
    context: plan.context,
    concurrency: settings.concurrency,
    signal: settings.signal,
    failurePolicy: settings.failurePolicy,
    progress,
  });
  failed.push(...outcome.failed);
  // A sync deletes only after every transfer succeeded.
  const deleted =
    plan.extraneous.length > 0 && failed.length === 0 ? await plan.deleteExtraneous(failed) : [];
  progress.finish();
  return transferResult(
    {
      transferred: outcome.transferred,
      skipped,
      failed,
      deleted,
      dryRun: false,
      bytes: progress.bytesDone,
    },
    started,
  );
}
