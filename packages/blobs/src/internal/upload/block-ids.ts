// Block IDs of an upload. The service refuses a block whose ID has another length than the
// blob's uncommitted blocks (400 InvalidBlobOrBlock), and an interrupted upload leaves its blocks
// behind for 7 days: so every upload's IDs have one length, whatever its source, made from a key
// of BLOCK_KEY_LENGTH characters (a resumable file's, derived from the file, or a random one).
import { base64, randomHex, utf8 } from "#platform";

/** Length of every block ID key: `bk1-` and 24 hex digits. */
export const BLOCK_KEY_LENGTH = 28;

/** The block ID of each index (`<key>-<index, 6 digits>`, base64), the same width for all. */
export function blockIds(key: string): (index: number) => string {
  if (key.length !== BLOCK_KEY_LENGTH) throw new Error(`block ID key of ${key.length} characters`);
  return (index) => base64(utf8(`${key}-${index.toString().padStart(6, "0")}`));
}

/**
 * The block ID of block `index` whose bytes have MD5 `md5`: an ID the service holds for that
 * index is then a block of the same bytes, so it can be reused whatever upload staged it.
 */
export function contentBlockId(md5: Uint8Array, index: number): string {
  const hex = Array.from(md5.subarray(0, 12), (byte) => byte.toString(16).padStart(2, "0"));
  return blockIds(`bk1-${hex.join("")}`)(index);
}

/** A key for the block IDs of an upload that is not resumable. */
export function randomBlockKey(): string {
  return `bk1-${randomHex(12)}`;
}
