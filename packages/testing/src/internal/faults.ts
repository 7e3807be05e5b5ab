// What the fault proxy's faults are made of: a seeded random generator (so that a run is
// repeatable) and a pass-through stream that changes one byte of a body.
import { Transform } from "node:stream";

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The offset of `at` (bytes, or a fraction of `length` if below 1) within a body of `length`. */
export function offsetIn(length: number, at = 0.5): number {
  const offset = at < 1 ? Math.floor(length * at) : at;
  return Math.min(offset, Math.max(0, length - 1));
}

/** A pass-through stream that inverts the bits of the byte at `offset` (if the body reaches it). */
export function flipByte(offset: number): Transform {
  let position = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const at = offset - position;
      position += chunk.length;
      if (at < 0 || at >= chunk.length) return done(null, chunk);
      const copy = Buffer.from(chunk);
      copy[at] = (copy[at] ?? 0) ^ 0xff;
      done(null, copy);
    },
  });
}
