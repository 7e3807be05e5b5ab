// The MD5 of a download whose ranges arrive in parallel, computed while they arrive: bytes that
// land exactly where the hash has got to are hashed from the piece at once; bytes written ahead
// of it are hashed later, read back from where they were written (the file, through the page
// cache, or the result buffer), so no piece is held in memory to wait for its turn.
import { createHash } from "node:crypto";

/** Reads `length` bytes at `position` from where the download writes them. */
export type ReadBack = (position: number, length: number) => Promise<Uint8Array>;

/** Read-back step: large enough to amortize each read, small enough to stay cheap in memory. */
const READ_BACK_STEP = 4 * 1024 * 1024;

export class TrailingMd5 {
  readonly #md5 = createHash("md5");
  readonly #readBack: ReadBack;
  readonly #end: number;
  /** Next byte to hash. */
  #frontier: number;
  /** Written but not hashed yet: start -> end of each run of pieces, merged. */
  readonly #ahead = new Map<number, number>();
  #catchingUp: Promise<void> | undefined;
  #failure: unknown;

  /** Hashes `[start, end)`; `readBack` reads written bytes again. */
  constructor(start: number, end: number, readBack: ReadBack) {
    this.#frontier = start;
    this.#end = end;
    this.#readBack = readBack;
  }

  /**
   * Records that `piece` was written at `position`. Call it while the piece is still valid (it
   * may be a lent buffer); it is hashed now if it is next in line.
   */
  written(position: number, piece: Uint8Array): void {
    if (position === this.#frontier && this.#catchingUp === undefined) {
      this.#md5.update(piece);
      this.#frontier += piece.length;
      if (this.#ahead.has(this.#frontier)) this.#catchUp();
      return;
    }
    const end = position + piece.length;
    // Merge with a run that ends where this piece starts, so runs stay few.
    for (const [start, runEnd] of this.#ahead) {
      if (runEnd === position) {
        this.#ahead.set(start, end);
        return;
      }
    }
    this.#ahead.set(position, end);
    if (position === this.#frontier) this.#catchUp();
  }

  /** Records bytes already written before this hasher existed (a resumed download's). */
  writtenBefore(start: number, end: number): void {
    if (end <= start) return;
    this.#ahead.set(start, end);
    if (start === this.#frontier) this.#catchUp();
  }

  /** Waits until every byte has been hashed and returns the digest. */
  async digest(): Promise<Buffer> {
    for (;;) {
      if (this.#catchingUp) await this.#catchingUp;
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#frontier >= this.#end) return this.#md5.digest();
      if (!this.#ahead.has(this.#frontier)) {
        throw new Error(`TrailingMd5: bytes from ${this.#frontier} were never written`);
      }
      this.#catchUp();
    }
  }

  #catchUp(): void {
    if (this.#catchingUp) return;
    this.#catchingUp = (async () => {
      try {
        for (
          let runEnd = this.#ahead.get(this.#frontier);
          runEnd !== undefined;
          runEnd = this.#ahead.get(this.#frontier)
        ) {
          this.#ahead.delete(this.#frontier);
          while (this.#frontier < runEnd) {
            const length = Math.min(READ_BACK_STEP, runEnd - this.#frontier);
            this.#md5.update(await this.#readBack(this.#frontier, length));
            this.#frontier += length;
          }
        }
      } catch (error) {
        this.#failure = error;
      } finally {
        this.#catchingUp = undefined;
      }
    })();
  }
}
