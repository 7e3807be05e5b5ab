// One Get Blob request for a byte range, sent through the client's own pipeline (so it is signed,
// retried and timed out like every SDK request) to BlobKit's fast HTTP client, whose body is read
// into a reused buffer. Where that client cannot serve the request (a proxy, a client
// certificate), the SDK's default client does, and its stream is read the same way.
import type { Readable } from "node:stream";
import {
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import type { BlobClient } from "@azure/storage-blob";
import { type ErrorContext, StorageError } from "@blobkit/auth";
import {
  corePipelineOf,
  describeOperation,
  serviceErrorOf,
  serviceVersionOf,
} from "@blobkit/auth/kit";
import { runBlobOperation } from "../errors.js";
import { type BorrowedBody, fastExtrasOf, fastHttpClient } from "../http/fast-client.js";

/** Conditions a range request carries. */
export interface RangeConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  tagConditions?: string;
  leaseId?: string;
}

/** What one range response tells, and its body. */
export interface RangeResponse {
  status: number;
  etag: string;
  lastModified: Date;
  /** Bytes of this response's body. */
  contentLength: number;
  /** Size of the whole blob. */
  blobSize: number;
  contentType?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  cacheControl?: string;
  /** The whole blob's MD5 as stored with it, when it has one. */
  blobContentMD5?: Uint8Array;
  /** User metadata, names as stored (with their case, when the fast client read the headers). */
  metadata: Record<string, string>;
  requestId?: string;
  body: BorrowedBody;
}

/** GETs `count` bytes from `offset` (to the end when `count` is undefined). */
export async function getRange(
  blob: BlobClient,
  context: ErrorContext,
  signal: AbortSignal,
  offset: number,
  count: number | undefined,
  conditions: RangeConditions,
): Promise<RangeResponse> {
  return runBlobOperation(context, async () => {
    const url = blob.url;
    const request = createPipelineRequest({
      url,
      method: "GET",
      abortSignal: signal,
      allowInsecureConnection: url.startsWith("http:"),
      streamResponseStatusCodes: new Set([200, 206]),
    });
    request.headers.set("x-ms-version", serviceVersionOf(blob));
    if (offset > 0 || count !== undefined) {
      request.headers.set(
        "x-ms-range",
        `bytes=${offset}-${count === undefined ? "" : offset + count - 1}`,
      );
    }
    if (conditions.ifMatch !== undefined) request.headers.set("If-Match", conditions.ifMatch);
    if (conditions.ifNoneMatch !== undefined) {
      request.headers.set("If-None-Match", conditions.ifNoneMatch);
    }
    if (conditions.tagConditions !== undefined) {
      request.headers.set("x-ms-if-tags", conditions.tagConditions);
    }
    if (conditions.leaseId !== undefined) request.headers.set("x-ms-lease-id", conditions.leaseId);
    const response = await corePipelineOf(blob).sendRequest(fastHttpClient, request);
    if (response.status !== 200 && response.status !== 206) {
      fastExtrasOf(request)?.body.destroy();
      response.readableStreamBody?.resume();
      if (response.status === 416) {
        // `Content-Range: bytes */<size>` tells the size, when the service sends it.
        const size = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1];
        throw rangeNotSatisfiable(context, offset, size === undefined ? undefined : Number(size), {
          requestId: response.headers.get("x-ms-request-id"),
          serviceCode: response.headers.get("x-ms-error-code"),
        });
      }
      throw serviceErrorOf(
        request,
        response,
        "Get Blob",
        response.status === 304
          ? "The condition specified using HTTP conditional header(s) is not met."
          : "",
      );
    }
    return parse(request, response);
  });
}

/**
 * The `"RangeNotSatisfiable"` error of a range that starts at or past the end of the blob: one
 * message whether the service answered 416 (Azure) or an empty 206 (Azurite).
 */
export function rangeNotSatisfiable(
  context: ErrorContext,
  offset: number,
  blobSize: number | undefined,
  answer: { requestId?: string | undefined; serviceCode?: string | undefined } = {},
): StorageError {
  const size =
    blobSize === undefined ? "past the end of the blob" : `but the blob has ${blobSize} bytes`;
  return new StorageError(
    "RangeNotSatisfiable",
    `${describeOperation(context)} failed: the range starts at byte ${offset} ${size}. Ask for a range that starts before the end (getBlobProperties tells the size).`,
    {
      operation: context.operation,
      statusCode: 416,
      serviceCode: answer.serviceCode ?? "InvalidRange",
      ...(answer.requestId ? { requestId: answer.requestId } : {}),
    },
  );
}

function base64Bytes(value: string | undefined): Uint8Array | undefined {
  return value ? Buffer.from(value, "base64") : undefined;
}

function parse(request: PipelineRequest, response: PipelineResponse): RangeResponse {
  const h = response.headers;
  const extras = fastExtrasOf(request);
  // `bytes <first>-<last>/<size>`: a body framed by chunked encoding has no Content-Length, and
  // its length is then the range's.
  const range = /^bytes (\d+)-(\d+)\/(\d+)\s*$/.exec(h.get("content-range") ?? "");
  const declared = h.get("content-length");
  const contentLength =
    declared !== undefined
      ? Number(declared)
      : range
        ? Number(range[2]) - Number(range[1]) + 1
        : Number.NaN;
  if (!Number.isSafeInteger(contentLength)) {
    extras?.body.destroy();
    response.readableStreamBody?.resume();
    throw new Error(
      "the service answered without Content-Length or Content-Range, so the size is unknown",
    );
  }
  const metadata: Record<string, string> = {};
  // Names as the server wrote them when the fast client read the head; else Node's lower case.
  const names = extras?.rawHeaderNames ?? [...h].map(([name]) => name);
  for (const name of names) {
    if (!/^x-ms-meta-/i.test(name)) continue;
    const value = h.get(name);
    if (value !== undefined) metadata[name.slice("x-ms-meta-".length)] = value;
  }
  // A whole-blob read answers Content-MD5 with the blob's MD5; a ranged one sends it as
  // x-ms-blob-content-md5 (a Content-MD5 there would be the range's own, only when asked for).
  const blobMD5 =
    h.get("x-ms-blob-content-md5") ??
    (response.status === 200 && !h.has("content-range") ? h.get("content-md5") : undefined);
  const optional = (key: keyof RangeResponse, header: string) => {
    const value = h.get(header);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    status: response.status,
    etag: h.get("etag") ?? "",
    lastModified: new Date(h.get("last-modified") ?? 0),
    contentLength,
    blobSize: range ? Number(range[3]) : contentLength,
    ...optional("contentType", "content-type"),
    ...optional("contentEncoding", "content-encoding"),
    ...optional("contentLanguage", "content-language"),
    ...optional("contentDisposition", "content-disposition"),
    ...optional("cacheControl", "cache-control"),
    ...(blobMD5 ? { blobContentMD5: base64Bytes(blobMD5) as Uint8Array } : {}),
    metadata,
    ...optional("requestId", "x-ms-request-id"),
    body: extras?.body ?? streamBody(response.readableStreamBody as Readable | undefined),
  };
}

/** The default client's stream, read through the same borrowed-piece interface. */
function streamBody(stream: Readable | undefined): BorrowedBody {
  if (!stream) return { next: async () => undefined, destroy: () => {}, release: () => {} };
  // A body can fail before anyone reads it (cut connection, abort): its reader sees the error
  // when it starts; without this listener Node would also throw it as an uncaught exception.
  stream.on("error", () => {});
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    next: async () => {
      const result = await iterator.next();
      return result.done ? undefined : result.value;
    },
    destroy: (error?: Error) => {
      stream.destroy(error);
    },
    release: () => {
      if (!stream.readableEnded) stream.destroy();
    },
  };
}
