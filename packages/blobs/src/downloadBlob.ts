// downloadBlob: a blob (or a byte range of it) to a string, bytes, a file, a Writable or a
// returned stream; one version only (If-Match on every range), resumed from the last byte after
// a dropped connection, and never through one big Buffer unless bytes were asked for. The range
// reader and each destination are in internal/download/.
import { Readable } from "node:stream";
import type { BlobClient } from "@azure/storage-blob";
import { isStorageError, toStorageError } from "@blobkit/auth";
import { abortError, fileSystemError, throwIfAborted } from "@blobkit/auth/kit";
import type {
  DownloadBlobContentResult,
  DownloadBlobDestination,
  DownloadBlobOptions,
  DownloadBlobResult,
  DownloadBlobStreamResult,
  DownloadBlobWebStreamResult,
  DownloadToBytes,
  DownloadToFile,
  DownloadToStream,
  DownloadToString,
  DownloadToWebStream,
  DownloadToWritable,
} from "./DownloadBlobOptions.js";
import { DEFAULT_DOWNLOAD_OPTIONS } from "./internal/download/defaults.js";
import { resolveFilePath } from "./internal/download/file-path.js";
import { resumePoint } from "./internal/download/journal.js";
import { classifyDestination, resolveDownloadSettings } from "./internal/download/settings.js";
import { dropFirst, type StartedDownload, startDownload } from "./internal/download/start.js";
import { downloadToFile } from "./internal/download/to-file.js";
import { decode, downloadToBuffer } from "./internal/download/to-memory.js";
import { downloadToStream } from "./internal/download/to-stream.js";
import { downloadToWritable } from "./internal/download/to-writable.js";
import { planVerification } from "./internal/download/verify.js";
import { blobContext } from "./internal/errors.js";
import { linkSignal } from "./internal/transfer/concurrency.js";

/**
 * Downloads a blob (or the byte `range` of it) to a string, bytes, a file,
 * a Node.js `Writable`, or a returned stream (a Node.js `Readable`, or a web `ReadableStream`
 * with `{ to: "web-stream" }`): the destination decides the result's type. Files,
 * strings and bytes are read in parallel ranges (`concurrency` × `rangeSize`) written as they
 * arrive; streams and writables in order, with backpressure. Every request after the first is
 * conditional on the first one's ETag, so the bytes come from one version of the blob; a
 * connection dropped mid-body (or silent for `stallTimeoutMs`) is resumed from the last byte
 * received. A file is written under a temporary name and renamed when complete. Only
 * `{ to: "bytes" }` and `{ to: "string" }` hold the whole blob in memory.
 *
 * @see [Download blobs](../../../apps/docs/guides/download-blobs.md)
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
 * const gzipped = await downloadBlob(container.getBlobClient("2024/raw.csv"), { to: "web-stream" })
 *   .then(({ stream: web }) => web.pipeThrough(new CompressionStream("gzip")));
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
  destination: DownloadToWebStream,
  options?: DownloadBlobOptions,
): Promise<DownloadBlobWebStreamResult>;
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
  | DownloadBlobResult
  | DownloadBlobContentResult<string | Buffer>
  | DownloadBlobStreamResult
  | DownloadBlobWebStreamResult
>;
export async function downloadBlob(
  blob: BlobClient,
  destination: DownloadBlobDestination,
  options: DownloadBlobOptions = {},
): Promise<
  | DownloadBlobResult
  | DownloadBlobContentResult<string | Buffer>
  | DownloadBlobStreamResult
  | DownloadBlobWebStreamResult
> {
  const dest = classifyDestination(destination);
  const settings = resolveDownloadSettings(options, DEFAULT_DOWNLOAD_OPTIONS);
  const context = blobContext(blob, "download blob", "read");
  let file: Awaited<ReturnType<typeof resolveFilePath>> | undefined;
  if (dest.kind === "file") {
    try {
      file = await resolveFilePath(dest.path, dest.createFolders);
    } catch (error) {
      throw isStorageError(error) ? error : fileSystemError(error, { ...context, path: dest.path });
    }
  }
  throwIfAborted(options.signal, "download blob");
  const transfer = linkSignal(options.signal);
  const convert = (error: unknown) =>
    transfer.byCaller ? toStorageError(abortError(), context) : toStorageError(error, context);
  const parallel = dest.kind === "file" || dest.kind === "bytes" || dest.kind === "string";
  let started: StartedDownload;
  try {
    started = await startDownload(
      blob,
      context,
      transfer,
      settings,
      parallel,
      options.onProgress,
      dest.kind === "file" && dest.resume && file
        ? await resumePoint(file.target, blob.url, settings.offset)
        : undefined,
    );
  } catch (error) {
    throw convert(error);
  }
  const { job, progress, first, blobSize, length } = started;
  const plan = planVerification(
    settings,
    started.length,
    started.blobSize,
    started.first.blobContentMD5,
  );
  const info: DownloadBlobResult = {
    etag: first.etag,
    lastModified: first.lastModified,
    contentLength: length,
    blobSize,
    ...(first.contentType ? { contentType: first.contentType } : {}),
    ...(first.contentEncoding ? { contentEncoding: first.contentEncoding } : {}),
    ...(first.blobContentMD5 ? { contentMD5: first.blobContentMD5 } : {}),
    verification: plan.verification,
    metadata: first.metadata,
    ...(first.requestId ? { requestId: first.requestId } : {}),
  };
  try {
    switch (dest.kind) {
      case "stream":
      case "web-stream": {
        const stream = downloadToStream(job, plan, options.signal, convert, progress.finish);
        if (dest.kind === "stream") return { ...info, stream };
        return { ...info, stream: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
      }
      case "writable":
        await downloadToWritable(job, plan, dest.writable, dest.end);
        progress.finish();
        return info;
      case "file": {
        const { resumedBytes } = await downloadToFile(
          job,
          file ?? { target: dest.path, existingMode: undefined },
          dest,
          plan,
        );
        progress.finish();
        return { ...info, resumedBytes };
      }
      default: {
        const buffer = await downloadToBuffer(job, length, plan);
        progress.finish();
        if (dest.kind === "bytes") return { ...info, content: buffer };
        return { ...info, content: decode(buffer, dest.encoding) };
      }
    }
  } catch (error) {
    dropFirst(job);
    throw convert(error);
  }
}
