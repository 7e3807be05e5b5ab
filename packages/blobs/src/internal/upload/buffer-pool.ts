// Block buffers reused from block to block: those of one upload, or, with a budget, those every
// upload sharing the budget takes from it.
import { allocate, view as viewOf } from "#platform";

/**
 * Block buffers reused across requests, so an upload holds a few buffers instead of allocating a
 * new one per block and leaving the old ones to the garbage collector. Only buffers it made
 * itself are ever reused: a caller's bytes are never overwritten. `mayKeep` decides whether a
 * returned buffer is kept (a budget keeps buffers only within its memory); `trim` drops free ones.
 */
export class BufferPool {
  readonly #max: number;
  readonly #mayKeep: (bytes: number) => boolean;
  readonly #owned = new WeakSet<ArrayBufferLike>();
  #free: Uint8Array[] = [];
  #freeBytes = 0;

  constructor(max: number, mayKeep: (bytes: number) => boolean = () => true) {
    this.#max = max;
    this.#mayKeep = mayKeep;
  }

  /** Bytes of the free buffers it keeps. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** A buffer of exactly `size` bytes (uninitialized). */
  take(size: number): Uint8Array {
    // Blocks of a growing plan only get larger: smaller free buffers are of no further use.
    this.#free = this.#free.filter((buffer) => {
      if (buffer.length >= size) return true;
      this.#freeBytes -= buffer.length;
      return false;
    });
    const free = this.#free.pop();
    if (free) {
      this.#freeBytes -= free.length;
      return free.subarray(0, size);
    }
    const buffer = allocate(size, true);
    this.#owned.add(buffer.buffer);
    return buffer;
  }

  /** Returns a buffer from {@link take} once no request uses it any more; ignores others. */
  give(view: Uint8Array): void {
    const bytes = view.buffer.byteLength;
    if (!this.#owned.has(view.buffer) || this.#free.length >= this.#max || !this.#mayKeep(bytes)) {
      return;
    }
    this.#free.push(viewOf(view.buffer, 0, bytes));
    this.#freeBytes += bytes;
  }

  /** Drops free buffers until they take at most `limit` bytes. */
  trim(limit: number): void {
    while (this.#freeBytes > limit && this.#free.length > 0) {
      this.#freeBytes -= (this.#free.shift() as Uint8Array).length;
    }
  }
}
