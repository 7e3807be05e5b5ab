// downloadBlob: a blob (or a byte range of it) to a string, bytes, a file, a Writable or a
// returned stream; one version only (If-Match on every range), resumed from the last byte after
// a dropped connection, and never through one big Buffer unless bytes were asked for.

import { constants as bufferConstants } from "node:buffer";
import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BlobClient, BlobDownloadResponseParsed } from "@azure/storage-blob";
import {
  type ErrorContext,
  isStorageError,
  type ProgressOptions,
  StorageError,
  toStorageError,
} from "@blobkit/auth";
import { describeValue, invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import type { Metadata } from "@blobkit/containers";
import type { BlobConditions } from "./BlobConditions.js";
import { sdkConditions } from "./internal/conditions.js";
import { blobContext, describeOperation } from "./internal/errors.js";
import {
  blobSizeOf,
  type RangeReader,
  rangeChunks,
  requestRange,
} from "./internal/transfer-download.js";
import {
  checkInteger,
  checkOptionalString,
  progressReporter,
} from "./internal/transfer-options.js";
import {
  abortError,
  linkSignal,
  runBounded,
  type TransferSignal,
} from "./internal/transfer-pool.js";

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

type Destination =
  | { kind: "string"; encoding: BufferEncoding }
  | { kind: "bytes" }
  | { kind: "stream" }
  | { kind: "file"; path: string }
  | { kind: "writable"; writable: NodeJS.WritableStream; end: boolean };

interface Settings {
  offset: number;
  count: number | undefined;
  conditions: ReturnType<typeof sdkConditions>;
  concurrency: number;
  rangeSize: number;
  maxResumes: number;
  stallTimeoutMs: number;
}

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
 * import { downloadBlob } from "@blobkit/blobs";
 *
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
  const settings = resolveSettings(options);
  if (dest.kind === "file") await checkFilePath(dest.path);
  throwIfAborted(options.signal, "download blob");
  const context = blobContext(blob, "download blob", "read");
  const transfer = linkSignal(options.signal);
  const convert = (error: unknown) =>
    transfer.byCaller ? toStorageError(abortError(), context) : toStorageError(error, context);
  const parallel = dest.kind === "file" || dest.kind === "bytes" || dest.kind === "string";
  let first: BlobDownloadResponseParsed;
  try {
    first = await firstResponse(blob, context, transfer, settings, parallel);
  } catch (error) {
    throw convert(error);
  }
  const firstBody = first.readableStreamBody as Readable;
  const blobSize = blobSizeOf(first);
  if (settings.offset > 0 && settings.offset >= blobSize) {
    // Azure answers 416 here; Azurite answers an empty 206. Behave like Azure on both.
    firstBody.destroy();
    throw new StorageError(
      "RangeNotSatisfiable",
      `${describeOperation(context)} failed: the range starts at byte ${settings.offset} but the blob has ${blobSize} bytes.`,
      { operation: context.operation, statusCode: 416, serviceCode: "InvalidRange" },
    );
  }
  const end =
    settings.count === undefined ? blobSize : Math.min(blobSize, settings.offset + settings.count);
  const length = Math.max(0, end - settings.offset);
  const progress = progressReporter(options.onProgress, length, 256 * 1024);
  const reader: RangeReader = {
    blob,
    context,
    transfer,
    etag: first.etag ?? "",
    stallTimeoutMs: settings.stallTimeoutMs,
    maxResumes: settings.maxResumes,
    leaseId: settings.conditions.leaseId,
    onBytes: (bytes) => progress.add(bytes),
  };
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
  const job: Job = {
    reader,
    settings,
    start: settings.offset,
    end,
    firstLength: Math.min(first.contentLength ?? 0, length),
    firstBody,
  };
  try {
    switch (dest.kind) {
      case "stream":
        return { ...info, stream: toStream(job, options.signal, convert, progress.finish) };
      case "writable":
        job.firstTaken = true;
        await pipeline(rangeChunks(reader, job.start, length, firstBody), dest.writable, {
          end: dest.end,
          signal: transfer.signal,
        });
        progress.finish();
        return info;
      case "file":
        await toFile(job, dest.path);
        progress.finish();
        return info;
      default: {
        const buffer = allocate(length);
        await readParallel(job, (chunks, _bytes, position) => {
          let at = position - job.start;
          for (const chunk of chunks) {
            chunk.copy(buffer, at);
            at += chunk.length;
          }
        });
        progress.finish();
        if (dest.kind === "bytes") return { ...info, content: buffer };
        return { ...info, content: decode(buffer, dest.encoding) };
      }
    }
  } catch (error) {
    if (!job.firstTaken) firstBody.destroy();
    throw convert(error);
  }
}

/** The first request: the whole range for sequential reads, the first `rangeSize` otherwise. */
async function firstResponse(
  blob: BlobClient,
  context: ErrorContext,
  transfer: TransferSignal,
  settings: Settings,
  parallel: boolean,
): Promise<BlobDownloadResponseParsed> {
  const count = parallel
    ? Math.min(settings.rangeSize, settings.count ?? Number.POSITIVE_INFINITY)
    : settings.count;
  try {
    return await requestRange(
      blob,
      context,
      transfer.signal,
      settings.offset,
      count,
      settings.conditions,
    );
  } catch (error) {
    // Azure answers a ranged read of an empty blob with 416; read it whole instead.
    if (
      parallel &&
      settings.offset === 0 &&
      settings.count === undefined &&
      isStorageError(error, "RangeNotSatisfiable")
    ) {
      return requestRange(blob, context, transfer.signal, 0, undefined, settings.conditions);
    }
    throw error;
  }
}

function contentMD5Of(
  response: BlobDownloadResponseParsed,
  settings: Settings,
): { contentMD5?: Uint8Array } {
  const md5 =
    response.blobContentMD5 ??
    (settings.offset === 0 && response.contentRange === undefined
      ? response.contentMD5
      : undefined);
  return md5 ? { contentMD5: md5 } : {};
}

/** One download in progress. */
interface Job {
  reader: RangeReader;
  settings: Settings;
  start: number;
  end: number;
  /** Bytes the first response carries, from `start`. */
  firstLength: number;
  firstBody: Readable;
  /** Whether the first body has been handed to a reader (which then owns it). */
  firstTaken?: boolean;
}

type RangeWriter = (chunks: Buffer[], bytes: number, position: number) => Promise<void> | void;

/** Reads `[start, end)` in parallel ranges; each range's chunks are written at their position. */
async function readParallel(job: Job, write: RangeWriter, batchBytes = 0): Promise<void> {
  const { reader, settings } = job;
  let nextOffset = job.start + job.firstLength;
  const next = async () => {
    if (!job.firstTaken) {
      job.firstTaken = true;
      return {
        offset: job.start,
        count: job.firstLength,
        body: job.firstBody as Readable | undefined,
      };
    }
    if (nextOffset >= job.end) return undefined;
    const count = Math.min(settings.rangeSize, job.end - nextOffset);
    const range = { offset: nextOffset, count, body: undefined };
    nextOffset += count;
    return range;
  };
  await runBounded(settings.concurrency, reader.transfer, next, async (range) => {
    let batch: Buffer[] = [];
    let bytes = 0;
    let position = range.offset;
    for await (const chunk of rangeChunks(reader, range.offset, range.count, range.body)) {
      batch.push(chunk);
      bytes += chunk.length;
      if (bytes >= batchBytes) {
        await write(batch, bytes, position);
        position += bytes;
        batch = [];
        bytes = 0;
      }
    }
    if (bytes > 0) await write(batch, bytes, position);
  });
}

async function toFile(job: Job, path: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.partial`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, "wx");
    const file = handle;
    await readParallel(
      job,
      (chunks, bytes, position) => writeFully(file, chunks, bytes, position - job.start),
      256 * 1024,
    );
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}

async function writeFully(
  handle: FileHandle,
  chunks: Buffer[],
  bytes: number,
  position: number,
): Promise<void> {
  const { bytesWritten } = await handle.writev(chunks, position);
  if (bytesWritten === bytes) return;
  // A short write: write the rest in one piece.
  const rest = Buffer.concat(chunks).subarray(bytesWritten);
  let written = 0;
  while (written < rest.length) {
    const result = await handle.write(
      rest,
      written,
      rest.length - written,
      position + bytesWritten + written,
    );
    written += result.bytesWritten;
  }
}

function toStream(
  job: Job,
  signal: AbortSignal | undefined,
  convert: (error: unknown) => StorageError,
  onEnd: () => void,
): Readable {
  job.firstTaken = true;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* rangeChunks(job.reader, job.start, job.end - job.start, job.firstBody);
      onEnd();
    } catch (error) {
      throw convert(error);
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false });
  if (signal) {
    // A consumer that stopped reading would never see the abort: end the stream now.
    const onAbort = () => stream.destroy(convert(abortError()));
    signal.addEventListener("abort", onAbort, { once: true });
    stream.once("close", () => signal.removeEventListener("abort", onAbort));
  }
  return stream;
}

function allocate(length: number): Buffer {
  if (length > bufferConstants.MAX_LENGTH) {
    throw invalidArgument(
      "destination",
      `the download is ${length} bytes, more than the largest Buffer Node.js can create (buffer.constants.MAX_LENGTH = ${bufferConstants.MAX_LENGTH}). Download to { path } or { to: "stream" } instead`,
    );
  }
  try {
    return Buffer.allocUnsafe(length);
  } catch (error) {
    throw invalidArgument(
      "destination",
      `could not allocate ${length} bytes (${error instanceof Error ? error.message : String(error)}). Download to { path } or { to: "stream" } instead`,
    );
  }
}

function decode(buffer: Buffer, encoding: BufferEncoding): string {
  try {
    return buffer.toString(encoding);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_STRING_TOO_LONG") {
      throw invalidArgument(
        "destination",
        `the download is ${buffer.length} bytes, more than a JavaScript string can hold (${bufferConstants.MAX_STRING_LENGTH} characters). Download to bytes, { path } or { to: "stream" } instead`,
      );
    }
    throw error;
  }
}

function classifyDestination(destination: unknown): Destination {
  if (typeof destination === "object" && destination !== null) {
    const d = destination as Record<string, unknown>;
    if (d.to === "string") {
      const encoding = d.encoding ?? "utf8";
      if (typeof encoding !== "string" || !Buffer.isEncoding(encoding)) {
        throw invalidArgument(
          "destination.encoding",
          `must be a Node.js Buffer encoding such as "utf8"; got ${describeValue(encoding)}`,
        );
      }
      return { kind: "string", encoding };
    }
    if (d.to === "bytes") return { kind: "bytes" };
    if (d.to === "stream") return { kind: "stream" };
    if ("path" in d) {
      if (typeof d.path !== "string" || d.path.length === 0) {
        throw invalidArgument("destination.path", "must be a non-empty string");
      }
      return { kind: "file", path: d.path };
    }
    if ("writable" in d) {
      const writable = d.writable as NodeJS.WritableStream | null | undefined;
      if (
        typeof writable !== "object" ||
        writable === null ||
        typeof writable.write !== "function" ||
        typeof writable.on !== "function"
      ) {
        throw invalidArgument("destination.writable", "must be a Node.js Writable stream");
      }
      if (d.end !== undefined && typeof d.end !== "boolean") {
        throw invalidArgument("destination.end", "must be true or false");
      }
      return { kind: "writable", writable, end: d.end !== false };
    }
  }
  throw invalidArgument(
    "destination",
    'must be { to: "string" }, { to: "bytes" }, { to: "stream" }, { path } or { writable }',
  );
}

function resolveSettings(options: DownloadBlobOptions): Settings {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  let offset = 0;
  let count: number | undefined;
  if (options.range !== undefined) {
    if (typeof options.range !== "object" || options.range === null) {
      throw invalidArgument("range", "must be { offset, count? }");
    }
    offset = checkInteger("range.offset", options.range.offset, 0, Number.MAX_SAFE_INTEGER, -1);
    if (offset < 0) throw invalidArgument("range.offset", "is required (the first byte, from 0)");
    if (options.range.count !== undefined) {
      count = checkInteger("range.count", options.range.count, 1, Number.MAX_SAFE_INTEGER, 1);
    }
  }
  const ifNoneMatch = checkOptionalString("ifNoneMatch", options.ifNoneMatch);
  const d = DEFAULT_DOWNLOAD_OPTIONS;
  return {
    offset,
    count,
    conditions: sdkConditions({
      ...options,
      ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    }),
    concurrency: checkInteger("concurrency", options.concurrency, 1, 64, d.concurrency),
    rangeSize: checkInteger("rangeSize", options.rangeSize, 1, 4000 * MiB, d.rangeSize),
    maxResumes: checkInteger("maxResumes", options.maxResumes, 0, 100, d.maxResumes),
    stallTimeoutMs: checkInteger(
      "stallTimeoutMs",
      options.stallTimeoutMs,
      0,
      3_600_000,
      d.stallTimeoutMs,
    ),
  };
}

async function checkFilePath(path: string): Promise<void> {
  const folder = dirname(path);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw invalidArgument(
      "destination.path",
      `the folder ${JSON.stringify(folder)} does not exist`,
    );
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw invalidArgument("destination.path", `${JSON.stringify(path)} is a folder`);
  }
}
