// The types of downloadBlob: where the bytes go, its options and its results. Apart from
// downloadBlob.ts so that the download's internals can read them without importing the
// capability itself. Each destination names the fields of the others as `never`, so that a mixed
// object (`{ to: "string", path }`) does not type-check.
import type { Readable } from "node:stream";
import type { ProgressOptions } from "@blobkit/auth";
import type { Metadata } from "@blobkit/containers";
import type { BlobConditions, TransferBudget } from "./types.js";

/** Download into a string. */
export interface DownloadToString {
  to: "string";
  /**
   * How to decode the bytes.
   * @defaultValue "utf8"
   */
  encoding?: BufferEncoding;
  path?: never;
  writable?: never;
}

/** Download into one `Buffer`; fails with a clear error above Node's Buffer limit. */
export interface DownloadToBytes {
  to: "bytes";
  path?: never;
  writable?: never;
}

/**
 * Get a Node.js `Readable` to consume at your pace (backpressure is honoured: BlobKit reads only
 * as fast as you do). The promise resolves once the blob has answered, so a missing blob rejects
 * it; later failures are emitted by the stream as `StorageError`s, and a stream whose bytes do
 * not match the blob's stored MD5 ends with a `"ChecksumMismatch"` error instead of a clean end.
 */
export interface DownloadToStream {
  to: "stream";
  path?: never;
  writable?: never;
}

/**
 * Get a web `ReadableStream` (the WHATWG stream of browsers, also in Node.js), read in order as
 * the reader asks: in a browser, `concurrency` ranges of `rangeSize` are read ahead of the
 * reader, no more (up to 128 MiB held with the defaults: lower either option to hold less); in
 * Node.js, as `{ to: "stream" }`. Pipe it into a `Response`, a
 * `FileSystemWritableFileStream` or a `CompressionStream` without holding the blob in memory. The
 * promise resolves once the blob has answered, so a missing blob rejects it; later failures
 * error the stream with a `StorageError`, and a stream whose bytes do not match the blob's stored
 * MD5 errors with `"ChecksumMismatch"` after the last byte instead of closing.
 */
export interface DownloadToWebStream {
  to: "web-stream";
  path?: never;
  writable?: never;
}

/**
 * Download into a file. The bytes go to a partial file in the same folder, checked against the
 * blob's stored MD5, flushed to disk, and renamed to `path` once complete, so a failed or
 * corrupted download never leaves a partial file under the final name, and an existing file
 * there is untouched until the new one is whole. A symbolic link at `path` is followed, as `cp`
 * does: the file it points to is replaced, the link stays. An existing file keeps its
 * permissions. A download that is interrupted (the process killed, the connection lost) leaves
 * its partial file and a small journal beside it; running the same download again continues
 * from there if the blob has not changed, and starts over if it has.
 */
export interface DownloadToFile {
  /** Path of the file, absolute or relative to the working directory. */
  path: string;
  /**
   * Create the folder (and its parents, as `mkdir -p`) when it does not exist.
   * @defaultValue false
   */
  createFolders?: boolean;
  /**
   * Keep the partial file and its journal when the download fails, so that running it again
   * continues where it stopped. With `false`, they are removed on failure.
   * @defaultValue true
   */
  resume?: boolean;
  /**
   * Flush the file to disk (`fsync`) before renaming it into place, and the folder after, so that
   * a power loss never leaves an empty or partial file under the final name. The performance
   * guide gives its measured cost.
   * @defaultValue true
   */
  durable?: boolean;
  /**
   * Permissions of a new file (an existing file keeps its own), before the process umask.
   * @defaultValue 0o666
   */
  mode?: number;
  to?: never;
  writable?: never;
}

/** Pipe into a Node.js `Writable` (an HTTP response, a hash, a compressor...), with backpressure. */
export interface DownloadToWritable {
  /**
   * The stream to write to. If the bytes do not match the blob's stored MD5 (checked when the
   * last byte has been written), the writable is destroyed with a `"ChecksumMismatch"` error
   * instead of being ended.
   */
  writable: NodeJS.WritableStream;
  /**
   * End the writable when the download completes.
   * @defaultValue true
   */
  end?: boolean;
  to?: never;
  path?: never;
}

/** Where `downloadBlob` puts the bytes; the result type depends on it. */
export type DownloadBlobDestination =
  | DownloadToString
  | DownloadToBytes
  | DownloadToStream
  | DownloadToWebStream
  | DownloadToFile
  | DownloadToWritable;

/** A byte range of a blob. */
export interface DownloadRange {
  /** First byte, from 0. */
  offset: number;
  /** Number of bytes; to the end of the blob when left out. Ranges past the end are cut short. */
  count?: number;
}

/** Options of `downloadBlob`. */
export interface DownloadBlobOptions extends ProgressOptions, BlobConditions {
  /** Download only these bytes. An offset past the end fails with code `"RangeNotSatisfiable"`. */
  range?: DownloadRange;
  /** Download only if the blob's ETag is not this value (e.g. a cached copy's); otherwise fail with code `"PreconditionFailed"`. */
  ifNoneMatch?: string;
  /**
   * Check the bytes of a whole-blob download against the MD5 stored with the blob (which
   * `uploadBlob` always stores). A mismatch fails with code `"ChecksumMismatch"`, and no file is
   * created or replaced. `false` skips the check and the MD5 computation (about 1.4 ms of CPU
   * per MiB on one core; the performance guide has the measured cost). Ranges cannot be checked:
   * the stored MD5 is the whole blob's.
   * @defaultValue true
   */
  verify?: boolean;
  /**
   * Ranges downloaded at the same time into a file, bytes or a string. Streams and writables
   * read in order, one request at a time.
   * @defaultValue 8
   */
  concurrency?: number;
  /**
   * Bytes per ranged request when downloading in parallel. Memory does not grow with it: bodies
   * are written as they arrive. In a browser, bytes and strings are read in ranges of 64 MiB
   * unless you set it (each response costs a browser a fixed price; they are held whole anyway).
   * @defaultValue 16 MiB
   */
  rangeSize?: number;
  /**
   * How many times in a row a dropped, truncated, stalled or trickling response is resumed (from
   * the last byte received) without progress, before the download fails with code
   * `"NetworkError"`. Failed requests themselves are retried by the client's retry policy.
   * @defaultValue 5
   */
  maxResumes?: number;
  /**
   * Longest wait for the next bytes of a response body before BlobKit drops the connection and
   * resumes. The client's per-try timeout (`retry.tryTimeoutMs` of `connect`) covers the wait
   * for the response headers; this covers the body. 0 waits forever. Time spent waiting for a
   * slow consumer of a stream or writable does not count.
   * @defaultValue 30000
   */
  stallTimeoutMs?: number;
  /**
   * Slowest body accepted, in bytes per second of one response: a body that brings less over a
   * whole `stallTimeoutMs` window is dropped and resumed (and a trickle never counts as
   * progress), so a server that sends a byte a second cannot hold a download for hours. 0
   * accepts any speed.
   * @defaultValue 16384 (16 KiB/s)
   */
  minBytesPerSecond?: number;
  /**
   * A budget of requests in flight and buffer memory to share with other transfers (see
   * `createTransferBudget`). Each range waits for a slot; `concurrency`, when left out, becomes
   * the budget's.
   */
  budget?: TransferBudget;
}

/**
 * Whether the bytes were checked against the blob's stored MD5: `"verified"` (for a stream or a
 * writable: checked when the last byte has passed, a mismatch ending it with an error), or why
 * not: the blob has no MD5 stored, only a range was downloaded, or `verify` was `false`.
 */
export type DownloadVerification = "verified" | "no checksum stored" | "range" | "disabled";

/** What every `downloadBlob` returns. */
export interface DownloadBlobResult {
  /** ETag of the version downloaded. */
  etag: string;
  /** When that version was last modified. */
  lastModified: Date;
  /** Bytes downloaded (the range's length). */
  contentLength: number;
  /** Size of the whole blob. */
  blobSize: number;
  /** The blob's `Content-Type`. */
  contentType?: string;
  /** The blob's `Content-Encoding`. */
  contentEncoding?: string;
  /** MD5 of the whole blob as stored with it, when it has one. */
  contentMD5?: Uint8Array;
  /** Whether the bytes were checked against `contentMD5`, or why not. */
  verification: DownloadVerification;
  /** The blob's user metadata, names with the case they were stored with. */
  metadata: Metadata;
  /** The service's request ID of the first request. */
  requestId?: string;
  /** For a file: bytes an earlier, interrupted run had written and this one did not download again. */
  resumedBytes?: number;
}

/** `downloadBlob`'s result for strings and bytes. */
export interface DownloadBlobContentResult<T> extends DownloadBlobResult {
  /** The downloaded content. */
  content: T;
}

/** `downloadBlob`'s result for `{ to: "stream" }`. */
export interface DownloadBlobStreamResult extends DownloadBlobResult {
  /** The blob's bytes. Destroy it to stop the download early. */
  stream: Readable;
}

/** `downloadBlob`'s result for `{ to: "web-stream" }`. */
export interface DownloadBlobWebStreamResult extends DownloadBlobResult {
  /** The blob's bytes. Cancel it to stop the download early. */
  stream: ReadableStream<Uint8Array>;
}
