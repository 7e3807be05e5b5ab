// uploadBlob: any source (text, bytes, file, Blob, Node or web stream) to a block blob, with
// bounded memory, a per-request checksum the service checks, a whole-blob MD5 stored with the
// blob, resumable file uploads, metadata/tags/tier/headers in the same call, and
// cancellation that stops every in-flight block. The sources (internal/upload/sources/) choose
// their plan once; one pipeline (internal/upload/pipeline.ts) sends them.
import type { ContainerClient } from "@azure/storage-blob";
import { isStorageError, toStorageError } from "@blobkit/auth";
import { abortError, throwIfAborted } from "@blobkit/auth/kit";
import { uploadFile } from "#upload-file";
import { blobContext } from "./internal/errors.js";
import { linkSignal } from "./internal/transfer/concurrency.js";
import { alreadyExists } from "./internal/upload/errors.js";
import { UploadPipeline } from "./internal/upload/pipeline.js";
import { classifySource, resolveUploadSettings } from "./internal/upload/settings.js";
import { uploadBlobSource } from "./internal/upload/sources/blob.js";
import { uploadBytes } from "./internal/upload/sources/bytes.js";
import { uploadStream } from "./internal/upload/sources/stream.js";
import { validateBlobName } from "./rules/validateBlobName.js";
import type { UploadBlobOptions, UploadBlobResult, UploadBlobSource } from "./UploadBlobOptions.js";

/** The default number of blocks in flight. */
export const DEFAULT_UPLOAD_CONCURRENCY = 4;

/**
 * Uploads a string, bytes, a file (`{ path }`) or a Node/web stream to a block blob. Sources up
 * to `maxSingleShotSize` (32 MiB) go in one request; larger ones are staged as blocks,
 * `concurrency` at a time, with a block size chosen by {@link chooseBlockSize} so the blob stays
 * within 50,000 blocks, then committed with the metadata, tags, tier and HTTP headers in the same
 * call. Every request carries the MD5 (or CRC-64) of its body, which the service checks (see
 * `checksum`), and the blob gets its whole-blob MD5 (see `contentMD5`), which `downloadBlob`
 * verifies. A file uploaded in blocks is resumable: run the same upload again after a crash and
 * only the blocks the service does not hold yet are sent (see `resumable`).
 * Memory stays near `blockSize` × (`concurrency` + 1) whatever the size. Nothing is committed
 * until every block has arrived, so a failed or aborted upload never leaves a partial blob; a
 * stream source is destroyed (cancelled) when the upload fails.
 *
 * @see [Upload blobs](../../../apps/docs/guides/upload-blobs.md)
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
      case "blob":
        return await uploadBlobSource(pipeline, from.blob, from.file);
      case "file":
        return await uploadFile(pipeline, from.path);
      default:
        return await uploadStream(pipeline, from.stream);
    }
  } catch (error) {
    // An abort after the final request left is already explained (the blob may exist).
    if (isStorageError(error, "Aborted")) throw error;
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
