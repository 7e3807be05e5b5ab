// Cancellation and bounded concurrency shared by uploads and downloads: one linked AbortSignal
// per transfer, so a failed block or range stops its siblings, and the caller's signal stops all.
import { raceAbort } from "@blobkit/auth/kit";

/** A signal that fires when the caller's does, or when the transfer itself gives up. */
export interface TransferSignal {
  /** Pass this to every SDK call of the transfer. */
  readonly signal: AbortSignal;
  /** Stops every request of the transfer (after a failure). */
  abort(): void;
  /** Whether the caller's signal fired (as opposed to an internal stop). */
  readonly byCaller: boolean;
}

/**
 * Links the caller's signal to a controller of the transfer. Both are made on first use: a
 * transfer that ends in one request (most uploads) never needs them.
 */
export function linkSignal(caller: AbortSignal | undefined): TransferSignal {
  let link: { controller: AbortController; signal: AbortSignal } | undefined;
  const linked = () => {
    if (!link) {
      const controller = new AbortController();
      const signal = caller ? AbortSignal.any([caller, controller.signal]) : controller.signal;
      link = { controller, signal };
    }
    return link;
  };
  return {
    get signal() {
      return linked().signal;
    },
    abort: () => linked().controller.abort(),
    get byCaller() {
      return caller?.aborted === true;
    },
  };
}

/**
 * Runs jobs with at most `concurrency` in flight. `next` produces jobs one at a time (it may wait
 * for a source stream) and is only called when a slot is free, so memory stays bounded. The
 * first failure stops the others through `transfer.abort()` and is what this throws.
 */
export async function runBounded<J>(
  concurrency: number,
  transfer: TransferSignal,
  next: () => Promise<J | undefined>,
  run: (job: J) => Promise<void>,
): Promise<void> {
  const inflight = new Set<Promise<void>>();
  let failed = false;
  let failure: unknown;
  const fail = (error: unknown) => {
    if (!failed) {
      failed = true;
      failure = error;
      transfer.abort();
    }
  };
  try {
    while (!failed) {
      const job = await raceAbort(next(), transfer.signal);
      if (job === undefined) break;
      const task: Promise<void> = run(job).then(
        () => {
          inflight.delete(task);
        },
        (error: unknown) => {
          inflight.delete(task);
          fail(error);
        },
      );
      inflight.add(task);
      if (inflight.size >= concurrency) await Promise.race(inflight);
    }
  } catch (error) {
    fail(error);
  }
  await Promise.all(inflight);
  if (failed) throw failure;
}
