// The byte and hash primitives @blobkit/blobs takes from Node.js, behind one module imported as
// `#platform`. Bundlers load platform.browser.ts in its place (the import's `browser` condition in
// package.json), which exports the same names with the same types, so uploads share one pipeline.
import { createHash, hash, randomBytes } from "node:crypto";

/** An MD5 being computed: bytes in, then the 16 bytes of the digest, once. */
export interface Md5 {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}

/** A request body of `content`: as it is on Node.js (see the browser's twin). */
export function requestBody<T>(content: T): T | Blob {
  return content;
}

/** A Blob to send as it is, by reference, where that is cheaper than its bytes (a browser). */
export function blobBody(_slice: Blob): Blob | undefined {
  return undefined;
}

/** The MD5 of `data`. */
export function md5Of(data: Uint8Array): Uint8Array | Promise<Uint8Array> {
  return hash("md5", data, "buffer");
}

/** A new MD5 to feed bytes to. */
export function createMd5(): Md5 | Promise<Md5> {
  return createHash("md5");
}

/** The UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

/**
 * `size` bytes whose content does not matter (they are written before being read); `pooled`
 * for a buffer kept for reuse (Node.js then gives it memory of its own, outside its small pool).
 */
export function allocate(size: number, pooled = false): Uint8Array {
  return pooled ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size);
}

/** `byteCount` random bytes, in hex. */
export function randomHex(byteCount: number): string {
  return randomBytes(byteCount).toString("hex");
}

/** `bytes` in base64. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** The `length` bytes of `buffer` from `byteOffset`, without a copy. */
export function view(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array {
  return Buffer.from(buffer, byteOffset, length);
}
