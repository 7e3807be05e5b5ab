// The browser's platform.ts (see there), which bundlers load in its place (the `browser`
// condition of `#platform`). MD5 comes from hash-wasm (WebAssembly; Web Crypto has no MD5),
// loaded on first use as crc64.ts loads it. Each export has the type of its Node.js twin, so the
// two cannot drift apart unnoticed.
import type * as Node from "./platform.js";

/** The 16 bytes of a hex digest. */
function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export const md5Of: typeof Node.md5Of = async (data) => {
  const { md5 } = await import("hash-wasm");
  return fromHex(await md5(data));
};

export const createMd5: typeof Node.createMd5 = async () => {
  const { createMD5 } = await import("hash-wasm");
  const hasher = await createMD5();
  hasher.init();
  return {
    update: (data: Uint8Array) => hasher.update(data),
    digest: () => hasher.digest("binary"),
  };
};

/**
 * Bytes go out as a Blob: Chromium sends a `Blob` body to its network process by reference, but
 * copies an `ArrayBuffer` body across in small pieces (16 MiB: 2.1-2.5 s as bytes, 0.2 s as a
 * Blob, against Azurite on loopback, with the SDK alone as with BlobKit).
 */
export const requestBody: typeof Node.requestBody = (content) =>
  content instanceof Uint8Array ? new Blob([content as Uint8Array<ArrayBuffer>]) : content;

/** A slice of the caller's Blob or File goes out as it is: nothing is copied for it. */
export const blobBody: typeof Node.blobBody = (slice) => slice;

const encoder = new TextEncoder();

export const utf8: typeof Node.utf8 = (text) => encoder.encode(text);

export const allocate: typeof Node.allocate = (size) => new Uint8Array(size);

export const randomHex: typeof Node.randomHex = (byteCount) =>
  Array.from(crypto.getRandomValues(new Uint8Array(byteCount)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");

export const base64: typeof Node.base64 = (bytes) => {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
};

export const view: typeof Node.view = (buffer, byteOffset, length) =>
  new Uint8Array(buffer, byteOffset, length);
