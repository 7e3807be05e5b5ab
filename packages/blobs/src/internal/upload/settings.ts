// uploadBlob's source and options, checked before any request and resolved once into what the
// sources and the pipeline read: headers, metadata, tags, tier, conditions, concurrency, checksum.
import type { Readable } from "node:stream";
import type { BlobHTTPHeaders, BlobRequestConditions } from "@azure/storage-blob";
import type { Progress, ProgressOptions } from "@blobkit/auth";
import {
  checkBoolean,
  checkChoice,
  checkHeaderValue,
  checkInteger,
  invalidArgument,
} from "@blobkit/auth/kit";
import { type Metadata, validateMetadata } from "@blobkit/containers";
import { type ChooseBlockSizeOptions, chooseBlockSize } from "../../rules/chooseBlockSize.js";
import { type Tags, validateTags } from "../../rules/validateTags.js";
import type { BlobConditions, BlobTier } from "../../types.js";
import { sdkConditions } from "../conditions.js";
import { isNodeReadable, isWebReadableStream } from "./block-reader.js";
import { contentTypeFor, isTextual } from "./content-type.js";

/**
 * uploadBlob's options (`UploadBlobOptions`, documented there) as this module reads them. Declared
 * apart so that `internal/` never imports a capability file; every field is checked here anyway.
 */
export interface UploadOptionsInput
  extends ProgressOptions,
    ChooseBlockSizeOptions,
    BlobConditions {
  contentType?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  cacheControl?: string;
  metadata?: Metadata;
  tags?: Tags;
  tier?: BlobTier;
  overwrite?: boolean;
  concurrency?: number;
  checksum?: "md5" | "none";
  size?: number;
}

/** The source of an upload, told apart once. */
export type UploadSource =
  /** Bytes in memory; `text` when they came from a string (UTF-8). */
  | { kind: "bytes"; bytes: Uint8Array; text: boolean }
  | { kind: "file"; path: string }
  | { kind: "stream"; stream: Readable | ReadableStream<Uint8Array> };

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
  md5: boolean;
  /** The caller's signal: a request with no siblings needs no linked one. */
  signal: AbortSignal | undefined;
  onProgress: ((progress: Progress) => void) | undefined;
  /** `blockSize` and `maxSingleShotSize` as given, for the plan each source chooses. */
  blocks: ChooseBlockSizeOptions;
}

const TIERS: readonly BlobTier[] = ["Hot", "Cool", "Cold", "Archive"];

/** Tells the source kinds apart; anything else is an `InvalidArgument`. */
export function classifySource(source: unknown): UploadSource {
  if (typeof source === "string") {
    return { kind: "bytes", bytes: Buffer.from(source, "utf8"), text: true };
  }
  if (source instanceof Uint8Array) return { kind: "bytes", bytes: source, text: false };
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
    `must be a string, a Uint8Array or Buffer, a Node.js Readable, a web ReadableStream, or { path } for a file; got ${source === null ? "null" : ArrayBuffer.isView(source) ? source.constructor.name : typeof source}`,
  );
}

/**
 * Checks every option before any request (the block plan too, with the size when it is known)
 * and resolves them. `defaultConcurrency` is uploadBlob's public default.
 */
export function resolveUploadSettings(
  name: string,
  from: UploadSource,
  options: UploadOptionsInput,
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
  const checksum = checkChoice("checksum", options.checksum, ["md5", "none"] as const, "md5");
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
    defaultConcurrency,
  );
  const size = checkInteger("size", options.size, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    unit: "bytes",
  });
  if (size !== undefined && from.kind === "bytes" && size !== from.bytes.length) {
    throw invalidArgument("size", `is ${size} but the source has ${from.bytes.length} bytes`);
  }
  // Checks blockSize and maxSingleShotSize (and the size) before any request.
  chooseBlockSize(from.kind === "bytes" ? from.bytes.length : size, options);
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
    size,
    md5: checksum === "md5",
    signal: options.signal,
    onProgress: options.onProgress,
    blocks: options,
  };
}
