// The shared limit behind createTransferBudget: request slots and buffer bytes, granted first come
// first served (a large block at the head waits for room rather than being overtaken forever).
import { abortError, abortedError } from "@blobkit/auth/kit";
import { BufferPool } from "../upload/buffer-pool.js";

interface Waiter {
  bytes: number;
  grant(): void;
}

export class Budget {
  readonly concurrency: number;
  readonly memoryBytes: number;
  #active = 0;
  #held = 0;
  readonly #queue: Waiter[] = [];
  /**
   * Block buffers of every upload sharing the budget. A buffer comes back while its request still
   * holds its bytes, so keeping it costs nothing more until the request lets go; free buffers are
   * kept only while they and the bytes requests hold fit in `memoryBytes`, and dropped when a
   * new request needs the room. Memory stays within the budget however many files share it.
   */
  readonly pool: BufferPool = new BufferPool(
    Number.MAX_SAFE_INTEGER,
    () => this.#held + this.pool.freeBytes <= this.memoryBytes,
  );

  constructor(concurrency: number, memoryBytes: number) {
    this.concurrency = concurrency;
    this.memoryBytes = memoryBytes;
  }

  get active(): number {
    return this.#active;
  }

  get heldBytes(): number {
    return this.#held;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  async run<T>(
    bytes: number,
    work: () => Promise<T>,
    options?: { signal?: AbortSignal },
  ): Promise<T> {
    let release: () => void;
    try {
      release = await this.acquire(bytes, options?.signal);
    } catch (error) {
      // The caller's own work gets BlobKit's error for a cancellation, as every transfer does.
      throw abortedError("wait for a transfer budget slot", error);
    }
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Waits for a slot and `bytes` (at most `memoryBytes`); returns the release, callable once. */
  acquire(bytes: number, signal?: AbortSignal): Promise<() => void> {
    const amount = Math.min(Math.max(0, bytes), this.memoryBytes);
    const release = () => {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.#active--;
        this.#held -= amount;
        this.#pump();
      };
    };
    if (this.#queue.length === 0 && this.#fits(amount)) {
      this.#take(amount);
      return Promise.resolve(release());
    }
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        bytes: amount,
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          this.#take(amount);
          resolve(release());
        },
      };
      const onAbort = () => {
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) this.#queue.splice(at, 1);
        this.#pump();
        reject(abortError());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #fits(bytes: number): boolean {
    if (this.#active >= this.concurrency) return false;
    // Nothing else held: a request larger than the whole budget still runs, alone.
    return this.#held === 0 || this.#held + bytes <= this.memoryBytes;
  }

  #take(bytes: number): void {
    this.#active++;
    this.#held += bytes;
    this.pool.trim(Math.max(0, this.memoryBytes - this.#held));
  }

  #pump(): void {
    for (let head = this.#queue[0]; head && this.#fits(head.bytes); head = this.#queue[0]) {
      this.#queue.shift();
      head.grant();
    }
  }
}
