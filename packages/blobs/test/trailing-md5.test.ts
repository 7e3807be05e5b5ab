// The MD5 of a download whose ranges arrive in parallel: a piece next in line is hashed when it
// is recorded, the others later, read back from where they were stored. Whatever order the
// pieces arrive and finish storing in, the digest must be the MD5 of the whole, and nothing may
// be read back before it is stored.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TrailingMd5 } from "../src/internal/checksum/trailing-md5.js";

/** Pieces of `data` cut into ranges of `range` bytes, each range in pieces of 1-700 bytes. */
function piecesOf(data: Buffer, range: number): Array<Array<{ position: number; piece: Buffer }>> {
  const ranges: Array<Array<{ position: number; piece: Buffer }>> = [];
  for (let start = 0; start < data.length; start += range) {
    const pieces: Array<{ position: number; piece: Buffer }> = [];
    const end = Math.min(data.length, start + range);
    for (let at = start; at < end; ) {
      const length = Math.min(end - at, 1 + Math.floor(Math.random() * 700));
      pieces.push({ position: at, piece: data.subarray(at, at + length) });
      at += length;
    }
    ranges.push(pieces);
  }
  return ranges;
}

describe("TrailingMd5 (the whole-blob MD5 of parallel ranges)", () => {
  it("hashes pieces recorded in any order, some read back, to the MD5 of the whole", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const data = randomBytes(20_000 + Math.floor(Math.random() * 20_000));
      const stored = Buffer.alloc(data.length);
      const written = new Uint8Array(data.length);
      let readBacks = 0;
      const hasher = new TrailingMd5(0, data.length, async (position, length) => {
        readBacks++;
        // A read back of bytes not stored yet would hash zeros: fail loudly instead.
        if (written.subarray(position, position + length).includes(0)) {
          throw new Error(`read back [${position}, ${position + length}) before it was stored`);
        }
        return stored.subarray(position, position + length);
      });
      // Each range stores its pieces in order, with a random delay per store; ranges interleave.
      await Promise.all(
        piecesOf(data, 4096).map(async (pieces) => {
          for (const { position, piece } of pieces) {
            const lent = Buffer.from(piece);
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
            lent.copy(stored, position);
            written.fill(1, position, position + lent.length);
            hasher.written(position, lent);
            // The piece was lent: it is reused as soon as the writer returns.
            lent.fill(0xee);
          }
        }),
      );
      expect((await hasher.digest()).toString("hex")).toBe(
        createHash("md5").update(data).digest("hex"),
      );
      // Ranges finished out of order, so the read-back path ran too.
      expect(readBacks).toBeGreaterThan(0);
    }
  });
});
