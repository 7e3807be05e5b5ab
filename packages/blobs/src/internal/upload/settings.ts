// uploadBlob's source and options, checked before any request and resolved once into what the
// sources and the pipeline read: headers, metadata, tags, tier, conditions, concurrency, checksum.
import type { Readable } from "node:stream";
import type { BlobHTTPHeaders, BlobRequestConditions } from "@azure/storage-blob";
import type { Progress } from "@blobkit/auth";
import {
  checkBoolean,
  checkChoice,
  checkHeaderValue,
  checkInteger,
  invalidArgument,
} from "@blobkit/auth/kit";
import { type Metadata, validateMetadata } from "@blobkit/containers";
import { utf8 } from "#platform";
import { type ChooseBlockSizeOptions, chooseBlockSize } from "../../rules/chooseBlockSize.js";
import { type Tags, validateTags } from "../../rules/validateTags.js";
import type { BlobTier } from "../../types.js";
import type { UploadBlobOptions, UploadChecksum } from "../../UploadBlobOptions.js";
import { sdkConditions } from "../conditions.js";
import { Budget } from "../transfer/budget.js";
import { isNodeReadable, isWebReadableStream } from "./block-reader.js";
import { contentTypeFor, isTextual } from "./content-type.js";

/** The source of an upload, told apart once. */
export type UploadSource =
  /** Bytes in memory; `text` when they came from a string (UTF-8). */
  | { kind: "bytes"; bytes: Uint8Array; text: boolean }
  | { kind: "file"; path: string }
  | { kind: "stream"; stream: Readable | ReadableStream<Uint8Array>; size?: number }
  /** A Blob, read by slices; a `File`'s blocks resume by their content (`resumeByContent`). */
  | { kind: "blob"; blob: Blob; file: boolean };

/** Everything an upload reads from its options, checked. */
export interface UploadSettings {
  headers: BlobHTTPHeaders;
  metadata: Metadata | undefined;
  tags: Tags | undefined;
  tier: string | undefined;
  conditions: BlobRequestConditions;
  leaseId: string | undefined;
  overwrite: boolean;
  concurrency: number;
  /** The caller's size of a stream source. */
  size: number | undefined;
  /** The checksum of each request. */
  checksum: UploadChecksum;
  /** The whole-blob MD5 to store: computed, the caller's, or none. */
  contentMD5: "compute" | "none" | Uint8Array;
  resumable: boolean;
  budget: Budget | undefined;
  /** The caller's signal: a request with no siblings needs no linked one. */
  signal: AbortSignal | undefined;
  onProgress: ((progress: Progress) => void) | undefined;
  /** `blockSize` and `maxSingleShotSize` as given, for the plan each source chooses. */
  blocks: ChooseBlockSizeOptions;
}

const TIERS: readonly BlobTier[] = ["Hot", "Cool", "Cold", "Archive"];

/** Whether `blob` is a `File` (in a browser, or Node.js's). */
function isFile(blob: Blob): boolean {
  const file = blob as Partial<File>;
  return typeof file.name === "string" && typeof file.lastModified === "number";
}

/** Tells the source kinds apart; anything else is an `InvalidArgument`. */
export function classifySource(source: unknown): UploadSource {
  if (typeof source === "string") {
    return { kind: "bytes", bytes: utf8(source), text: true };
  }
  if (source instanceof Uint8Array) return { kind: "bytes", bytes: source, text: false };
  // A DataView is plain bytes; other typed arrays (Uint16Array...) hold numbers whose byte order
  // depends on the machine, so they are refused with a way out below.
  if (source instanceof DataView) {
    return {
      kind: "bytes",
      bytes: new Uint8Array(source.buffer, source.byteOffset, source.byteLength),
      text: false,
    };
  }
  // SharedArrayBuffer is not defined in a browser page that is not cross-origin isolated.
  if (
    source instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" && source instanceof SharedArrayBuffer)
  ) {
    return { kind: "bytes", bytes: new Uint8Array(source), text: false };
  }
  if (source instanceof Blob) {
    return { kind: "blob", blob: source, file: isFile(source) };
  }
  if (isNodeReadable(source) || isWebReadableStream(source))
    return { kind: "stream", stream: source };
  if (typeof source === "object" && source !== null && "path" in source) {
    const path = (source as { path: unknown }).path;
    if (typeof path !== "string" || path.length === 0) {
      throw invalidArgument("source.path", "must be a non-empty string");
    }
    return { kind: "file", path };
  }
  throw invalidArgument(
    "source",
    `must be a string, bytes (Buffer, Uint8Array, ArrayBuffer or DataView), a Blob, a Node.js Readable, a web ReadableStream, or { path } for a file; got ${source === null ? "null" : typeof source === "object" ? (source.constructor?.name ?? "an object") : typeof source}${ArrayBuffer.isView(source) ? " (pass new Uint8Array(array.buffer, array.byteOffset, array.byteLength) to send its bytes as they are in memory)" : ""}`,
  );
}

/**
 * Checks every option before any request (the block plan too, with the size when it is known)
 * and resolves them. `defaultConcurrency` is uploadBlob's public default.
 */
export function resolveUploadSettings(
  name: string,
  from: UploadSource,
  options: UploadBlobOptions,
  defaultConcurrency: number,
): UploadSettings {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  const metadata =
    options.metadata === undefined ? undefined : validateMetadata(options.metadata, "metadata");
  const tags = options.tags === undefined ? undefined : validateTags(options.tags, "tags");
  const tier =
    options.tier === undefined ? undefined : checkChoice("tier", options.tier, TIERS, "Hot");
  const checksum = checkChoice(
    "checksum",
    options.checksum,
    ["md5", "crc64", "none"] as const,
    "md5",
  );
  const contentMD5 = checkContentMD5(options.contentMD5);
  const resumable = checkBoolean("resumable", options.resumable, true);
  const budget = checkBudget(options.budget);
  const overwrite = checkBoolean("overwrite", options.overwrite, true);
  const conditions = sdkConditions(options);
  if (!overwrite && conditions.ifMatch !== undefined) {
    throw invalidArgument(
      "ifMatch",
      "cannot be combined with overwrite: false (a blob that must not exist has no ETag to match)",
    );
  }
  const concurrency = checkInteger(
    "concurrency",
    options.concurrency,
    { min: 1, max: 64 },
    budget ? Math.min(64, budget.concurrency) : defaultConcurrency,
  );
  const size = checkInteger("size", options.size, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    unit: "bytes",
  });
  const known =
    from.kind === "bytes"
      ? from.bytes.length
      : from.kind === "blob"
        ? from.blob.size
        : from.kind === "stream"
          ? from.size
          : undefined;
  if (size !== undefined && known !== undefined && size !== known) {
    throw invalidArgument("size", `is ${size} but the source has ${known} bytes`);
  }
  // Checks blockSize and maxSingleShotSize (and the size) before any request.
  chooseBlockSize(known ?? size, options);
  let contentType = checkHeaderValue("contentType", options.contentType);
  if (contentType === undefined) {
    contentType = contentTypeFor(name);
    if (from.kind === "bytes" && from.text && isTextual(contentType)) {
      contentType += "; charset=utf-8";
    }
  }
  const headers: BlobHTTPHeaders = { blobContentType: contentType };
  const encoding = checkHeaderValue("contentEncoding", options.contentEncoding);
  if (encoding !== undefined) headers.blobContentEncoding = encoding;
  const language = checkHeaderValue("contentLanguage", options.contentLanguage);
  if (language !== undefined) headers.blobContentLanguage = language;
  const disposition = checkHeaderValue("contentDisposition", options.contentDisposition);
  if (disposition !== undefined) headers.blobContentDisposition = disposition;
  const cacheControl = checkHeaderValue("cacheControl", options.cacheControl);
  if (cacheControl !== undefined) headers.blobCacheControl = cacheControl;
  if (!overwrite) conditions.ifNoneMatch = "*";
  return {
    headers,
    metadata,
    tags,
    tier,
    conditions,
    leaseId: conditions.leaseId,
    overwrite,
    concurrency,
    size:
      from.kind === "blob"
        ? from.blob.size
        : (size ?? (from.kind === "stream" ? from.size : undefined)),
    checksum,
    contentMD5,
    resumable,
    budget,
    signal: options.signal,
    onProgress: options.onProgress,
    blocks: options,
  };
}

function checkContentMD5(value: unknown): "compute" | "none" | Uint8Array {
  if (value === undefined || value === "compute" || value === "none") return value ?? "compute";
  if (value instanceof Uint8Array && value.length === 16) return value;
  throw invalidArgument(
    "contentMD5",
    'must be "compute", "none" or the 16 bytes of an MD5 (a Uint8Array or Buffer)',
  );
}

function checkBudget(value: unknown): Budget | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Budget)) {
    throw invalidArgument("budget", "must be a budget made by createTransferBudget()");
  }
  return value;
}
