// The MD5 of a whole blob whose blocks are read or received out of order: each block is hashed as
// soon as every block before it has been, and its buffer is held only until then.
import { createMd5, type Md5 } from "#platform";

/** Hashes numbered parts in order, whatever order they arrive in. */
export class OrderedMd5 {
  readonly #md5: Md5;
  readonly #waiting = new Map<number, { data: Uint8Array; done: () => void }>();
  #next = 0;

  /** A new one (an MD5 may take a moment to set up: WebAssembly in a browser). */
  static async create(): Promise<OrderedMd5> {
    return new OrderedMd5(await createMd5());
  }

  private constructor(md5: Md5) {
    this.#md5 = md5;
  }

  /** Adds part `index` (from 0); resolves once it has been hashed (its buffer may then be reused). */
  add(index: number, data: Uint8Array): Promise<void> {
    if (index !== this.#next) {
      return new Promise((done) => this.#waiting.set(index, { data, done }));
    }
    this.#md5.update(data);
    this.#next++;
    for (let part = this.#waiting.get(this.#next); part; part = this.#waiting.get(this.#next)) {
      this.#waiting.delete(this.#next);
      this.#md5.update(part.data);
      this.#next++;
      part.done();
    }
    return Promise.resolve();
  }

  /** The MD5 of every part added; call once, after the last. */
  digest(): Uint8Array {
    if (this.#waiting.size > 0) throw new Error("OrderedMd5: parts are missing before the digest");
    return this.#md5.digest();
  }
}
