// uploadBlob: any source (text, bytes, file, Node or web stream) to a block blob, with bounded
// memory, a per-request MD5 the service checks, metadata/tags/tier/headers in the same call, and
// cancellation that stops every in-flight block. The sources (internal/upload/sources/) choose
// their plan once; one pipeline (internal/upload/pipeline.ts) sends them.
import type { Readable } from "node:stream";
import type { ContainerClient } from "@azure/storage-blob";
import { type ProgressOptions, toStorageError } from "@blobkit/auth";
import { abortError, throwIfAborted } from "@blobkit/auth/kit";
import type { Metadata } from "@blobkit/containers";
import { blobContext } from "./internal/errors.js";
import { linkSignal } from "./internal/transfer/concurrency.js";
import { alreadyExists, UploadPipeline } from "./internal/upload/pipeline.js";
import { classifySource, resolveUploadSettings } from "./internal/upload/settings.js";
import { uploadBytes } from "./internal/upload/sources/bytes.js";
import { uploadFile } from "./internal/upload/sources/file.js";
import { uploadStream } from "./internal/upload/sources/stream.js";
import type { ChooseBlockSizeOptions } from "./rules/chooseBlockSize.js";
import { validateBlobName } from "./rules/validateBlobName.js";
import type { Tags } from "./rules/validateTags.js";
import type { BlobConditions, BlobTier } from "./types.js";

/** A local file to upload. An object, so that a string body is never mistaken for a path. */
export interface UploadFileSource {
  /** Path of the file, absolute or relative to the working directory. */
  path: string;
}

/**
 * What {@link uploadBlob} can upload: text (sent as UTF-8), bytes (`Buffer` or `Uint8Array`), a
 * Node.js `Readable`, a web `ReadableStream`, or a file given as `{ path }`.
 */
export type UploadBlobSource =
  | string
  | Uint8Array
  | Readable
  | ReadableStream<Uint8Array>
  | UploadFileSource;

/** Options of {@link uploadBlob}. */
export interface UploadBlobOptions extends ProgressOptions, ChooseBlockSizeOptions, BlobConditions {
  /**
   * The blob's `Content-Type`. When left out, it is inferred from the name's extension (`.json`
   * gives `application/json`), with `; charset=utf-8` for text uploaded from a string.
   * @defaultValue inferred from the name, else `application/octet-stream`
   */
  contentType?: string;
  /** The blob's `Content-Encoding`, e.g. `"gzip"` for data you compressed yourself. */
  contentEncoding?: string;
  /** The blob's `Content-Language`, e.g. `"en-US"`. */
  contentLanguage?: string;
  /** The blob's `Content-Disposition`, e.g. `'attachment; filename="report.pdf"'`. */
  contentDisposition?: string;
  /** The blob's `Cache-Control`, e.g. `"public, max-age=3600"`. */
  cacheControl?: string;
  /** User metadata, checked by `validateMetadata` from `@blobkit/containers` before any request. */
  metadata?: Metadata;
  /** Blob index tags, checked by {@link validateTags} before any request. */
  tags?: Tags;
  /** Access tier of the new blob. When left out, the account's default tier applies. */
  tier?: BlobTier;
  /**
   * Replace an existing blob of the same name. With `false`, the upload is conditional on the
   * blob not existing (`If-None-Match: *`) and fails with code `"AlreadyExists"` if it does;
   * large uploads check first, so no data is sent for nothing.
   * @defaultValue true
   */
  overwrite?: boolean;
  /**
   * Blocks uploaded at the same time. Memory use is about `blockSize` × (`concurrency` + 1).
   * @defaultValue 4
   */
  concurrency?: number;
  /**
   * The checksum sent with every request, which the service checks before it stores anything:
   * `"md5"` sends the MD5 of each request's body (`Content-MD5`), so a body corrupted on the
   * way is rejected (a `"BadRequest"` error with service code `"Md5Mismatch"`) and nothing is
   * stored. `"none"` sends no checksum and saves computing it (about 1.2-2.7 ms per MiB on one
   * core); choose it only when another layer already checks the bytes in transit, such as HTTPS
   * to Azure, and you need the CPU. Against Azurite, blocks without an MD5 are slower, as the
   * emulator then computes a CRC64 of each block itself.
   * @defaultValue "md5"
   */
  checksum?: UploadChecksum;
  /**
   * Size of a stream source in bytes, when you know it: progress then reports a total, the block
   * size fits the size exactly, and the upload fails before committing if the stream has another
   * length. Ignored for other sources, whose size is known.
   */
  size?: number;
}

/** The checksum {@link uploadBlob} sends with each request; see {@link UploadBlobOptions.checksum}. */
export type UploadChecksum = "md5" | "none";

/** What {@link uploadBlob} returns. */
export interface UploadBlobResult {
  /** ETag of the new blob. */
  etag: string;
  /** When the blob was last modified (now). */
  lastModified: Date;
  /** Bytes uploaded. */
  contentLength: number;
  /**
   * MD5 of the content as the service computed it, for single-shot uploads. For blobs committed
   * from blocks, each block's MD5 was checked on arrival and the service stores none for the
   * whole blob.
   */
  contentMD5?: Uint8Array;
  /** Blocks committed; 0 when the content went in one Put Blob request. */
  blockCount: number;
  /** The service's request ID of the final request, to quote to Azure support. */
  requestId?: string;
}

/** The default number of blocks in flight. */
export const DEFAULT_UPLOAD_CONCURRENCY = 4;

/**
 * Uploads a string, bytes, a file (`{ path }`) or a Node/web stream to a block blob. Sources up
 * to `maxSingleShotSize` (32 MiB) go in one request; larger ones are staged as blocks,
 * `concurrency` at a time, with a block size chosen by {@link chooseBlockSize} so the blob stays
 * within 50,000 blocks, then committed with the metadata, tags, tier and HTTP headers in the same
 * call. Every request carries the MD5 of its body, which the service checks (see `checksum`).
 * Memory stays near `blockSize` × (`concurrency` + 1) whatever the size. Nothing is committed
 * until every block has arrived, so a failed or aborted upload never leaves a partial blob; a
 * stream source is destroyed (cancelled) when the upload fails.
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { uploadBlob } from "@blobkit/blobs";
 *
 * declare const service: BlobServiceClient;
 * declare const summary: { year: number; total: number };
 * const container = service.getContainerClient("reports");
 * await uploadBlob(container, "2024/summary.json", JSON.stringify(summary));
 * await uploadBlob(container, "2024/raw.csv", { path: "./raw.csv" }, {
 *   metadata: { source: "export" },
 *   tags: { year: "2024" },
 *   onProgress: ({ loaded, total }) => console.log(`${loaded} of ${total} bytes`),
 * });
 * ```
 */
export async function uploadBlob(
  container: ContainerClient,
  name: string,
  source: UploadBlobSource,
  options: UploadBlobOptions = {},
): Promise<UploadBlobResult> {
  validateBlobName(name, "name");
  const from = classifySource(source);
  const settings = resolveUploadSettings(name, from, options, DEFAULT_UPLOAD_CONCURRENCY);
  throwIfAborted(options.signal, "upload blob");
  const blob = container.getBlockBlobClient(name);
  const context = blobContext(blob, "upload blob", "write");
  const transfer = linkSignal(options.signal);
  const pipeline = new UploadPipeline(blob, context, settings, transfer);
  try {
    switch (from.kind) {
      case "bytes":
        return await uploadBytes(pipeline, from.bytes);
      case "file":
        return await uploadFile(pipeline, from.path);
      default:
        return await uploadStream(pipeline, from.stream);
    }
  } catch (error) {
    if (transfer.byCaller) throw toStorageError(abortError(), context);
    const converted = toStorageError(error, context);
    if (
      !settings.overwrite &&
      (converted.code === "AlreadyExists" || converted.code === "PreconditionFailed") &&
      converted.statusCode !== undefined
    ) {
      throw alreadyExists(context, converted);
    }
    throw converted;
  }
}
