// downloadBlob: a blob (or a byte range of it) to a string, bytes, a file, a Writable or a
// returned stream; one version only (If-Match on every range), resumed from the last byte after
// a dropped connection, and never through one big Buffer unless bytes were asked for. The range
// reader and each destination are in internal/download/.
import type { Readable } from "node:stream";
import type { BlobClient } from "@azure/storage-blob";
import { type ProgressOptions, toStorageError } from "@blobkit/auth";
import { abortError, throwIfAborted } from "@blobkit/auth/kit";
import type { Metadata } from "@blobkit/containers";
import {
  checkFilePath,
  classifyDestination,
  resolveDownloadSettings,
} from "./internal/download/settings.js";
import { contentMD5Of, type StartedDownload, startDownload } from "./internal/download/start.js";
import { downloadToFile } from "./internal/download/to-file.js";
import { decode, downloadToBuffer } from "./internal/download/to-memory.js";
import { downloadToStream } from "./internal/download/to-stream.js";
import { downloadToWritable } from "./internal/download/to-writable.js";
import { blobContext } from "./internal/errors.js";
import { linkSignal } from "./internal/transfer/concurrency.js";
import type { BlobConditions } from "./types.js";

const MiB = 1024 * 1024;

/** Download into a string. */
export interface DownloadToString {
  to: "string";
  /**
   * How to decode the bytes.
   * @defaultValue "utf8"
   */
  encoding?: BufferEncoding;
}

/** Download into one `Buffer`; fails with a clear error above Node's Buffer limit. */
export interface DownloadToBytes {
  to: "bytes";
}

/**
 * Get a Node.js `Readable` to consume at your pace (backpressure is honoured: BlobKit reads only
 * as fast as you do). The promise resolves once the blob has answered, so a missing blob rejects
 * it; later failures are emitted by the stream as {@link @blobkit/auth!StorageError}.
 */
export interface DownloadToStream {
  to: "stream";
}

/**
 * Download into a file. The bytes go to a temporary file in the same folder, renamed to `path`
 * once complete, so a failed download never leaves a partial file under the final name. An
 * existing file at `path` is replaced.
 */
export interface DownloadToFile {
  /** Path of the file, absolute or relative to the working directory; its folder must exist. */
  path: string;
}

/** Pipe into a Node.js `Writable` (an HTTP response, a hash, a compressor...), with backpressure. */
export interface DownloadToWritable {
  writable: NodeJS.WritableStream;
  /**
   * End the writable when the download completes.
   * @defaultValue true
   */
  end?: boolean;
}

/** Where {@link downloadBlob} puts the bytes; the result type depends on it. */
export type DownloadBlobDestination =
  | DownloadToString
  | DownloadToBytes
  | DownloadToStream
  | DownloadToFile
  | DownloadToWritable;

/** A byte range of a blob. */
export interface DownloadRange {
  /** First byte, from 0. */
  offset: number;
  /** Number of bytes; to the end of the blob when left out. Ranges past the end are cut short. */
  count?: number;
}

/** Options of {@link downloadBlob}. */
export interface DownloadBlobOptions extends ProgressOptions, BlobConditions {
  /** Download only these bytes. An offset past the end fails with code `"RangeNotSatisfiable"`. */
  range?: DownloadRange;
  /** Download only if the blob's ETag is not this value (e.g. a cached copy's); otherwise fail with code `"PreconditionFailed"`. */
  ifNoneMatch?: string;
  /**
   * Ranges downloaded at the same time into a file, bytes or a string. Streams and writables
   * read in order, one request at a time.
   * @defaultValue 8
   */
  concurrency?: number;
  /**
   * Bytes per ranged request when downloading in parallel. Memory does not grow with it: bodies
   * are written as they arrive.
   * @defaultValue 16 MiB
   */
  rangeSize?: number;
  /**
   * How many times in a row a dropped, truncated or stalled response is resumed (from the last
   * byte received) without delivering any data, before the download fails with code
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
}

/** What every {@link downloadBlob} returns. */
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
  /** MD5 of the whole blob as stored with it, when it has one (single-shot uploads do). */
  contentMD5?: Uint8Array;
  /** The blob's user metadata. */
  metadata: Metadata;
  /** The service's request ID of the first request. */
  requestId?: string;
}

/** {@link downloadBlob}'s result for strings and bytes. */
export interface DownloadBlobContentResult<T> extends DownloadBlobResult {
  /** The downloaded content. */
  content: T;
}

/** {@link downloadBlob}'s result for `{ to: "stream" }`. */
export interface DownloadBlobStreamResult extends DownloadBlobResult {
  /** The blob's bytes. Destroy it to stop the download early. */
  stream: Readable;
}

/** The defaults of {@link DownloadBlobOptions}. */
export const DEFAULT_DOWNLOAD_OPTIONS = Object.freeze({
  concurrency: 8,
  rangeSize: 16 * MiB,
  maxResumes: 5,
  stallTimeoutMs: 30_000,
});

/**
 * Downloads a blob (or the byte `range` of it) to a string, bytes, a file,
 * a Node.js `Writable`, or a returned stream: the destination decides the result's type. Files,
 * strings and bytes are read in parallel ranges (`concurrency` × `rangeSize`) written as they
 * arrive; streams and writables in order, with backpressure. Every request after the first is
 * conditional on the first one's ETag, so the bytes come from one version of the blob; a
 * connection dropped mid-body (or silent for `stallTimeoutMs`) is resumed from the last byte
 * received. A file is written under a temporary name and renamed when complete. Only
 * `{ to: "bytes" }` and `{ to: "string" }` hold the whole blob in memory.
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { downloadBlob } from "@blobkit/blobs";
 *
 * declare const service: BlobServiceClient;
 * const container = service.getContainerClient("reports");
 * const summary = container.getBlobClient("2024/summary.json");
 * const { content } = await downloadBlob(summary, { to: "string" });
 * await downloadBlob(container.getBlobClient("2024/raw.csv"), { path: "./raw.csv" }, {
 *   onProgress: ({ loaded, total }) => console.log(`${loaded} of ${total} bytes`),
 * });
 * const { stream } = await downloadBlob(container.getBlobClient("2024/raw.csv"), { to: "stream" });
 * ```
 */
export function downloadBlob(
  blob: BlobClient,
  destination: DownloadToString,
  options?: DownloadBlobOptions,
): Promise<DownloadBlobContentResult<string>>;
export function downloadBlob(
  blob: BlobClient,
  destination: DownloadToBytes,
  options?: DownloadBlobOptions,
): Promise<DownloadBlobContentResult<Buffer>>;
export function downloadBlob(
  blob: BlobClient,
  destination: DownloadToStream,
  options?: DownloadBlobOptions,
): Promise<DownloadBlobStreamResult>;
export function downloadBlob(
  blob: BlobClient,
  destination: DownloadToFile | DownloadToWritable,
  options?: DownloadBlobOptions,
): Promise<DownloadBlobResult>;
export function downloadBlob(
  blob: BlobClient,
  destination: DownloadBlobDestination,
  options?: DownloadBlobOptions,
): Promise<
  DownloadBlobResult | DownloadBlobContentResult<string | Buffer> | DownloadBlobStreamResult
>;
export async function downloadBlob(
  blob: BlobClient,
  destination: DownloadBlobDestination,
  options: DownloadBlobOptions = {},
): Promise<
  DownloadBlobResult | DownloadBlobContentResult<string | Buffer> | DownloadBlobStreamResult
> {
  const dest = classifyDestination(destination);
  const settings = resolveDownloadSettings(options, DEFAULT_DOWNLOAD_OPTIONS);
  if (dest.kind === "file") await checkFilePath(dest.path);
  throwIfAborted(options.signal, "download blob");
  const context = blobContext(blob, "download blob", "read");
  const transfer = linkSignal(options.signal);
  const convert = (error: unknown) =>
    transfer.byCaller ? toStorageError(abortError(), context) : toStorageError(error, context);
  const parallel = dest.kind === "file" || dest.kind === "bytes" || dest.kind === "string";
  let started: StartedDownload;
  try {
    started = await startDownload(blob, context, transfer, settings, parallel, options.onProgress);
  } catch (error) {
    throw convert(error);
  }
  const { job, progress, first, blobSize, length } = started;
  const info: DownloadBlobResult = {
    etag: first.etag ?? "",
    lastModified: first.lastModified ?? new Date(0),
    contentLength: length,
    blobSize,
    ...(first.contentType ? { contentType: first.contentType } : {}),
    ...(first.contentEncoding ? { contentEncoding: first.contentEncoding } : {}),
    ...contentMD5Of(first, settings),
    metadata: first.metadata ?? {},
    ...(first.requestId ? { requestId: first.requestId } : {}),
  };
  try {
    switch (dest.kind) {
      case "stream":
        return {
          ...info,
          stream: downloadToStream(job, options.signal, convert, progress.finish),
        };
      case "writable":
        await downloadToWritable(job, dest.writable, dest.end);
        progress.finish();
        return info;
      case "file":
        await downloadToFile(job, dest.path);
        progress.finish();
        return info;
      default: {
        const buffer = await downloadToBuffer(job, length);
        progress.finish();
        if (dest.kind === "bytes") return { ...info, content: buffer };
        return { ...info, content: decode(buffer, dest.encoding) };
      }
    }
  } catch (error) {
    if (!job.firstTaken) job.firstBody.destroy();
    throw convert(error);
  }
}
