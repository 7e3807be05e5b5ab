// Reads byte ranges of one blob version: each range resumes from its last byte after a dropped
// connection or a stalled body, always with `If-Match: <etag>` so two versions are never mixed.
import type { Readable } from "node:stream";
import type { BlobClient, BlobDownloadResponseParsed } from "@azure/storage-blob";
import { type ErrorContext, isStorageError, StorageError } from "@blobkit/auth";
import { describeOperation, withMessage } from "@blobkit/auth/kit";
import { runBlobOperation } from "../errors.js";
import type { TransferSignal } from "../transfer/concurrency.js";

/** What every range read of one download shares. */
export interface RangeReader {
  blob: BlobClient;
  context: ErrorContext;
  transfer: TransferSignal;
  /** The version being read; set from the first response. */
  etag: string;
  /** Longest wait for body bytes before the connection is dropped and resumed; 0 = never. */
  stallTimeoutMs: number;
  /** Resumes allowed in a row without receiving a byte. */
  maxResumes: number;
  /** Lease id to send with every request, if any. */
  leaseId?: string | undefined;
  /** Called with every chunk's length. */
  onBytes(bytes: number): void;
}

/** GETs a byte range (the whole blob when `count` is undefined and `offset` is 0). */
export async function requestRange(
  blob: BlobClient,
  context: ErrorContext,
  signal: AbortSignal,
  offset: number,
  count: number | undefined,
  conditions: { ifMatch?: string; ifNoneMatch?: string; tagConditions?: string; leaseId?: string },
): Promise<BlobDownloadResponseParsed> {
  const response = await runBlobOperation(context, () =>
    blob.download(offset, count, {
      abortSignal: signal,
      conditions,
      // BlobKit resumes itself, from the last byte it received, with its own stall detection.
      maxRetryRequests: 0,
    }),
  );
  // A body can fail before anyone reads it (cut connection, abort): its reader sees the error
  // when it starts; without this listener Node would also throw it as an uncaught exception.
  response.readableStreamBody?.on("error", () => {});
  return response;
}

/** Total size of the blob, from `Content-Range: bytes a-b/size` or the length of a full read. */
export function blobSizeOf(response: BlobDownloadResponseParsed): number {
  const match = response.contentRange?.match(/\/(\d+)\s*$/);
  if (match?.[1] !== undefined) return Number(match[1]);
  return response.contentLength ?? 0;
}

function changedError(reader: RangeReader, cause: StorageError): StorageError {
  return withMessage(
    cause,
    `${describeOperation(reader.context)} failed: the blob changed while it was being downloaded (its ETag is no longer ${reader.etag}). Download it again.`,
  );
}

class StallError extends Error {
  override readonly name = "StallError";
}

/**
 * Yields the body's chunks; destroys the body when no byte arrives for `stallTimeoutMs` while
 * BlobKit is waiting for one (time spent waiting for a slow consumer does not count).
 */
async function* watched(body: Readable, stallTimeoutMs: number): AsyncGenerator<Buffer> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  if (stallTimeoutMs <= 0) {
    for (;;) {
      const result = await iterator.next();
      if (result.done) return;
      yield result.value;
    }
  }
  let waiting = false;
  let deadline = 0;
  let timer: NodeJS.Timeout | undefined;
  const onTimer = () => {
    timer = undefined;
    if (!waiting) return;
    const left = deadline - Date.now();
    if (left > 0) timer = setTimeout(onTimer, left);
    else body.destroy(new StallError(`no data for ${stallTimeoutMs} ms`));
  };
  try {
    for (;;) {
      waiting = true;
      deadline = Date.now() + stallTimeoutMs;
      timer ??= setTimeout(onTimer, stallTimeoutMs);
      const result = await iterator.next();
      waiting = false;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Yields bytes `[offset, offset + count)` of the blob in order. `first` is a body already
 * requested for exactly that range. A body that fails, ends early or stalls is dropped and the
 * rest requested again with `If-Match`, up to `maxResumes` times in a row without progress.
 */
export async function* rangeChunks(
  reader: RangeReader,
  offset: number,
  count: number,
  first?: Readable,
): AsyncGenerator<Buffer> {
  let received = 0;
  let body = first;
  let fruitless = 0;
  try {
    while (received < count) {
      if (body === undefined) {
        try {
          const response = await requestRange(
            reader.blob,
            reader.context,
            reader.transfer.signal,
            offset + received,
            count - received,
            {
              ifMatch: reader.etag,
              ...(reader.leaseId !== undefined ? { leaseId: reader.leaseId } : {}),
            },
          );
          body = response.readableStreamBody as Readable;
        } catch (error) {
          if (isStorageError(error, "PreconditionFailed")) throw changedError(reader, error);
          throw error;
        }
      }
      const before = received;
      try {
        for await (const chunk of watched(body, reader.stallTimeoutMs)) {
          if (chunk.length > count - received) {
            throw new StorageError(
              "Unknown",
              `${describeOperation(reader.context)} failed: the service sent more bytes than the range asked for.`,
              { operation: reader.context.operation },
            );
          }
          received += chunk.length;
          reader.onBytes(chunk.length);
          yield chunk;
        }
        if (received < count) throw new Error("the response ended early");
      } catch (error) {
        body.destroy();
        body = undefined;
        if (reader.transfer.signal.aborted || isStorageError(error)) throw error;
        fruitless = received > before ? 1 : fruitless + 1;
        if (fruitless > reader.maxResumes) {
          throw new StorageError(
            "NetworkError",
            `${describeOperation(reader.context)} failed: the connection dropped ${fruitless} times in a row without delivering data (${error instanceof Error ? error.message : String(error)}). Check the network, or raise maxResumes.`,
            { operation: reader.context.operation },
          );
        }
      }
    }
  } finally {
    // Reached early when the consumer stops (error, abort, destroyed stream): free the socket.
    if (body !== undefined && received < count) body.destroy();
    else body?.resume();
  }
}
