// Reads upload sources (Node Readable or web ReadableStream) as blocks of exact sizes, copying
// each byte at most once and holding no more than the block being filled.
import type { Readable } from "node:stream";
import { invalidArgument, raceAbort } from "@blobkit/auth/kit";
import { allocate, utf8 } from "#platform";
import type { BufferPool } from "./buffer-pool.js";

/** Pulls chunks from a stream; `undefined` at the end. */
interface ChunkPuller {
  next(): Promise<Uint8Array | undefined>;
  /** Releases the source after a failure or abort (destroys or cancels it). */
  cancel(): void;
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return utf8(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw invalidArgument(
    "source",
    `the stream produced a ${chunk === null ? "null" : typeof chunk} chunk; upload streams must produce bytes (Buffer or Uint8Array) or strings`,
  );
}

export function isNodeReadable(value: unknown): value is Readable {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Readable).pipe === "function" &&
    typeof (value as Readable).on === "function" &&
    typeof (value as Readable)[Symbol.asyncIterator] === "function"
  );
}

export function isWebReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ReadableStream).getReader === "function"
  );
}

function pullerFor(source: Readable | ReadableStream<Uint8Array>): ChunkPuller {
  if (isNodeReadable(source)) {
    const iterator = source[Symbol.asyncIterator]();
    return {
      async next() {
        const result = await iterator.next();
        return result.done ? undefined : toBytes(result.value);
      },
      cancel() {
        source.destroy();
      },
    };
  }
  const reader = source.getReader();
  return {
    async next() {
      const result = await reader.read();
      return result.done ? undefined : toBytes(result.value);
    },
    cancel() {
      reader.cancel().catch(() => {});
    },
  };
}

/** Reads a stream in blocks of the sizes asked for. */
export class BlockReader {
  readonly #puller: ChunkPuller;
  readonly #signal: AbortSignal;
  readonly #pool: BufferPool | undefined;
  readonly #failed: (error: unknown) => unknown;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  /** Bytes handed out so far. */
  consumed = 0;

  /** `failed` turns an error of the source itself into the one to throw (not an abort). */
  constructor(
    source: Readable | ReadableStream<Uint8Array>,
    signal: AbortSignal,
    pool?: BufferPool,
    failed: (error: unknown) => unknown = (error) => error,
  ) {
    this.#puller = pullerFor(source);
    this.#signal = signal;
    this.#pool = pool;
    this.#failed = failed;
  }

  /** Buffers until at least `bytes` are queued or the stream ends; returns whether it ended. */
  async fill(bytes: number): Promise<boolean> {
    while (this.#queued < bytes && !this.#ended) {
      const chunk = await raceAbort(
        this.#puller.next().catch((error: unknown) => {
          // A source that fails because the transfer was cancelled reports the cancellation.
          throw this.#signal.aborted ? error : this.#failed(error);
        }),
        this.#signal,
      );
      if (chunk === undefined) this.#ended = true;
      else if (chunk.length > 0) {
        this.#queue.push(chunk);
        this.#queued += chunk.length;
      }
    }
    return this.#ended;
  }

  /** Bytes buffered and not yet handed out. */
  get buffered(): number {
    return this.#queued;
  }

  /**
   * Returns the next `bytes` bytes, fewer at the end of the stream, empty after it. Chunks that
   * arrive while a block is being read are copied into it one by one, so each is garbage as soon
   * as it is copied instead of waiting in the queue for the whole block (which would hold every
   * block twice while it fills).
   */
  async read(bytes: number): Promise<Uint8Array> {
    // A first chunk that holds the whole block is handed out as a view, with no copy.
    if (this.#queued === 0) await this.fill(1);
    if (this.#queued >= bytes || this.#ended) {
      return this.#fromQueue(Math.min(bytes, this.#queued));
    }
    const block = this.#allocate(bytes);
    let filled = this.#copyQueued(block);
    // The queue is empty now: pull one chunk at a time and copy it in at once.
    while (filled < bytes && !(await this.fill(1))) {
      filled += this.#copyQueued(block.subarray(filled));
    }
    this.consumed += filled;
    return filled === bytes ? block : block.subarray(0, filled);
  }

  /** Takes `size` bytes (at most what is queued) from the queue. */
  #fromQueue(size: number): Uint8Array {
    const first = this.#queue[0];
    if (size === 0 || first === undefined) return new Uint8Array(0);
    this.consumed += size;
    if (first.length >= size) {
      this.#queued -= size;
      if (first.length === size) this.#queue.shift();
      else this.#queue[0] = first.subarray(size);
      return first.subarray(0, size);
    }
    const block = this.#allocate(size);
    this.#copyQueued(block);
    return block;
  }

  /** A block buffer: from the pool when there is one, so that it can be reused. */
  #allocate(size: number): Uint8Array {
    return this.#pool ? this.#pool.take(size) : allocate(size);
  }

  /** Moves queued bytes into `target` from its start, as many as fit; returns how many. */
  #copyQueued(target: Uint8Array): number {
    let filled = 0;
    while (filled < target.length && this.#queue.length > 0) {
      const chunk = this.#queue[0] as Uint8Array;
      const take = Math.min(chunk.length, target.length - filled);
      target.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
      filled += take;
      this.#queued -= take;
      if (take === chunk.length) this.#queue.shift();
      else this.#queue[0] = chunk.subarray(take);
    }
    return filled;
  }

  /** Releases the source stream after a failure or abort. */
  cancel(): void {
    this.#queue = [];
    this.#queued = 0;
    if (!this.#ended) this.#puller.cancel();
  }
}
