// Everything @blobkit/auth needs from Node.js alone, behind one module, imported as `#platform`.
// Bundlers load platform.browser.ts in its place (the import's `browser` condition in
// package.json), which exports the same names with the same types: the rest of the package is the
// same code on both.
import { hostname } from "node:os";
import { Readable } from "node:stream";
import { StorageSharedKeyCredential } from "@azure/storage-blob";

export { createIpv6HostPolicy } from "./ipv6Host.js";
export { sharedKeyCredential, withKeyObject } from "./sharedKey.js";

/**
 * Refuses a connection string holding an account key where Shared Key cannot be used (a
 * browser); on Node.js, there is nothing to refuse.
 */
export function refuseKeyInBrowser(_connectionString: string): void {}

/**
 * Whether the HTTP client reports a request body's bytes as they leave (Node.js's does; `fetch`
 * reports nothing before the response), so that a per-try timer can follow them.
 */
export const UPLOAD_PROGRESS_REPORTED: boolean = true;

/** Whether `credential` is the SDK's Shared Key credential. */
export function isSharedKeyCredential(
  credential: unknown,
): credential is StorageSharedKeyCredential {
  return credential instanceof StorageSharedKeyCredential;
}

/**
 * A request body made of `chunks`, sent one chunk at a time so that upload progress follows the
 * bytes really written; `undefined` where the HTTP client cannot send a stream.
 */
export function chunkedBody(
  chunks: () => Iterable<Uint8Array>,
): (() => NodeJS.ReadableStream) | undefined {
  return () => Readable.from(chunks(), { objectMode: false });
}

/** The process's environment variables; none in a browser. */
export function environment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/** The machine's host name, to tell a writer on this machine from one on another. */
export function hostName(): string {
  return hostname();
}
