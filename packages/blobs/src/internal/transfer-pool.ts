// Cancellation and bounded concurrency shared by uploads and downloads: one linked AbortSignal
// per transfer, so a failed block or range stops its siblings, and the caller's signal stops all.

/** An AbortError as the SDK throws it, so toStorageError reports `Aborted`. */
export function abortError(): Error {
  return new DOMException("The operation was aborted.", "AbortError");
}

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
 * Settles like `promise`, or rejects with an AbortError as soon as `signal` fires: a source
 * stream that is paused, or a read that never completes, cannot hold a cancelled transfer.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
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

/**
 * Block buffers reused across requests, so an upload holds `max` buffers instead of allocating
 * a new one per block and leaving the old ones to the garbage collector. Only buffers it made
 * itself are ever reused: a caller's bytes are never overwritten.
 */
export class BufferPool {
  readonly #max: number;
  readonly #owned = new WeakSet<ArrayBufferLike>();
  #free: Buffer[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  /** A buffer of exactly `size` bytes (uninitialized). */
  take(size: number): Buffer {
    // Blocks of a growing plan only get larger: smaller free buffers are of no further use.
    this.#free = this.#free.filter((buffer) => buffer.length >= size);
    const free = this.#free.pop();
    if (free) return free.subarray(0, size);
    const buffer = Buffer.allocUnsafeSlow(size);
    this.#owned.add(buffer.buffer);
    return buffer;
  }

  /** Returns a buffer from {@link take} once no request uses it any more; ignores others. */
  give(view: Uint8Array): void {
    if (!this.#owned.has(view.buffer) || this.#free.length >= this.#max) return;
    this.#free.push(Buffer.from(view.buffer, 0, view.buffer.byteLength));
  }
}
