// The block buffers of one upload, reused from block to block.

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
