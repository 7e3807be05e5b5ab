// The types of uploadBlob: what it uploads, its options and its result. Apart from uploadBlob.ts
// so that the upload's internals can read them without importing the capability itself.
import type { Readable } from "node:stream";
import type { ProgressOptions } from "@blobkit/auth";
import type { Metadata } from "@blobkit/containers";
import type { ChooseBlockSizeOptions } from "./rules/chooseBlockSize.js";
import type { Tags } from "./rules/validateTags.js";
import type { BlobConditions, BlobTier, TransferBudget } from "./types.js";

/** A local file to upload. An object, so that a string body is never mistaken for a path. */
export interface UploadFileSource {
  /** Path of the file, absolute or relative to the working directory. */
  path: string;
}

/**
 * What `uploadBlob` can upload: text (sent as UTF-8), bytes (`Buffer`, `Uint8Array`,
 * `ArrayBuffer`, `DataView`), a `Blob` (or `File`), a Node.js `Readable`, a web `ReadableStream`,
 * or a file given as `{ path }`.
 */
export type UploadBlobSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | SharedArrayBuffer
  | DataView
  | Blob
  | Readable
  | ReadableStream<Uint8Array>
  | UploadFileSource;

/** Options of `uploadBlob`. */
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
   * The checksum sent with every request, which the service checks before it stores anything, so
   * a body corrupted on the way is rejected, nothing is stored, and the body is sent again (the
   * retry reason `"corrupted"`); only when every try arrives changed does the upload fail, with a
   * `"BadRequest"` error with service code `"Md5Mismatch"` or `"Crc64Mismatch"`. `"md5"` sends
   * the MD5 of each body (`Content-MD5`); `"crc64"` sends its CRC-64 (`x-ms-content-crc64`, the
   * checksum newer Azure SDKs use), which costs about half the CPU of an MD5; `"none"` sends
   * neither (a corrupted body is then stored as it arrived). The whole-blob MD5
   * ({@link UploadBlobOptions.contentMD5}) is separate and stored either way. See the performance
   * guide for the measured costs and when to pick which; against Azurite, blocks without an MD5
   * are slower, as the emulator checks a CRC-64 with slow JavaScript.
   * @defaultValue "md5"
   */
  checksum?: UploadChecksum;
  /**
   * Size of a stream source in bytes, when you know it: progress then reports a total, the block
   * size fits the size exactly, and the upload fails before committing if the stream has another
   * length. Ignored for other sources, whose size is known.
   */
  size?: number;
  /**
   * The MD5 of the whole blob, stored with it (`Content-MD5`) so that `downloadBlob` can check
   * what it receives. `"compute"` works it out while uploading, for multi-block uploads too (a
   * single Put Blob request stores the MD5 the service computes); pass the bytes of an MD5 you
   * already have to store it instead; `"none"` stores none for multi-block uploads (saving an MD5
   * pass over the data on the client), and downloads of the blob are then not verified.
   * @defaultValue "compute"
   */
  contentMD5?: "compute" | "none" | Uint8Array;
  /**
   * For a file (`{ path }`) uploaded in blocks: derive each block's ID from the file (path,
   * device and inode, size, modification time, block size, index), so that running the same
   * upload again after a crash or a kill asks the service which blocks it already holds
   * (uncommitted blocks live 7 days) and sends only the missing ones. Blocks already held are
   * still read, to compute the whole-blob MD5. A `File` (a browser's picked file, or Node.js's)
   * has no path: each of its blocks is named by its index and the MD5 of its bytes, so a block
   * the service holds under that name is those very bytes. Upload the same File again after a
   * cancel, a failure or a page reload and only the missing blocks are sent. Set to `false` for
   * IDs unique to each run.
   * @defaultValue true
   */
  resumable?: boolean;
  /**
   * A budget of requests in flight and block memory to share with other transfers (see
   * `createTransferBudget`). Each block waits for a slot; `concurrency`, when left out, becomes
   * the budget's.
   */
  budget?: TransferBudget;
}

/** The checksum `uploadBlob` sends with each request; see {@link UploadBlobOptions.checksum}. */
export type UploadChecksum = "md5" | "crc64" | "none";

/** What `uploadBlob` returns. */
export interface UploadBlobResult {
  /** ETag of the new blob. */
  etag: string;
  /** When the blob was last modified (now). */
  lastModified: Date;
  /** Bytes uploaded. */
  contentLength: number;
  /**
   * The whole-blob MD5 stored with the blob: computed while uploading, given by the caller, or
   * computed by the service for a single Put Blob request. Absent with `contentMD5: "none"` for
   * multi-block uploads.
   */
  contentMD5?: Uint8Array;
  /** Blocks committed; 0 when the content went in one Put Blob request. */
  blockCount: number;
  /** Blocks an earlier, interrupted run had already staged, so not sent again (`resumable`). */
  resumedBlocks: number;
  /** Bytes of those blocks. */
  resumedBytes: number;
  /** The service's request ID of the final request, to quote to Azure support. */
  requestId?: string;
}
