// The browser's download data path (downloadBlob.browser.ts): the blob read in ranges of
// `rangeSize`, `concurrency` at a time, through the SDK's own fetch client. A range whose body
// fails or comes short (a dropped connection) is asked for again, up to `maxResumes` times in a
// row; every range after the first is pinned to the first response's ETag, so a blob changed
// meanwhile fails the download instead of mixing two versions. The ranges go into one array
// (`fetchRanges`) or, in order, into a web stream (`streamRanges`).
import type { BlobClient, BlobDownloadResponseParsed } from "@azure/storage-blob";
import { type ErrorContext, isStorageError } from "@blobkit/auth";
import { blobChanged, runBlobOperation } from "../errors.js";
import type { DownloadSettings } from "./settings.js";

/** What {@link fetchRanges} read: the first response (properties, ETag, MD5) and the bytes. */
export interface FetchedRanges {
  first: BlobDownloadResponseParsed;
  blobSize: number;
  bytes: Uint8Array;
}

/** A download whose first range has answered: what it says, and a reader of the others. */
export interface OpenedRanges {
  first: BlobDownloadResponseParsed;
  /** The first response's bytes (up to `rangeSize`, never past `length`). */
  firstBytes: Uint8Array;
  blobSize: number;
  /** Bytes to download in all, from `settings.offset`. */
  length: number;
  /** Reads `size` bytes at `at` (from `settings.offset`), pinned to the first response's ETag. */
  read(at: number, size: number): Promise<Uint8Array>;
  /** Stops every range in flight (after a failure, or when the reader is cancelled). */
  stop(): void;
}

type Conditions = DownloadSettings["conditions"];

/** Sends the first range of `settings`' range of `blob`; the rest is read through the result. */
export async function openRanges(
  blob: BlobClient,
  context: ErrorContext,
  settings: DownloadSettings,
  signal: AbortSignal | undefined,
): Promise<OpenedRanges> {
  // Stops the other ranges in flight once one has failed.
  const stop = new AbortController();
  const abortSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const get = async (offset: number, count: number | undefined, conditions: Conditions) => {
    for (let failures = 0; ; failures++) {
      try {
        return await runBlobOperation(context, async () => {
          const response = await blob.download(offset, count, { abortSignal, conditions });
          const body = await response.blobBody;
          const bytes = new Uint8Array(body ? await body.arrayBuffer() : new ArrayBuffer(0));
          if (response.contentLength !== undefined && bytes.length !== response.contentLength) {
            throw new Error(
              `the body ended after ${bytes.length} of ${response.contentLength} bytes`,
            );
          }
          return { response, bytes };
        });
      } catch (error) {
        // A dropped connection has no status; whatever the service answered is final here (the
        // retry policy has already retried what it can).
        const dropped =
          isStorageError(error) && error.statusCode === undefined && error.code !== "Aborted";
        if (!dropped || failures >= settings.maxResumes || abortSignal.aborted) throw error;
      }
    }
  };

  const { offset, count, rangeSize } = settings;
  let first: Awaited<ReturnType<typeof get>>;
  try {
    first = await get(offset, Math.min(count ?? rangeSize, rangeSize), settings.conditions);
  } catch (error) {
    // An empty blob has no byte 0 to ask for (416 Range Not Satisfiable): read it whole.
    if (!(offset === 0 && isStorageError(error) && error.statusCode === 416)) throw error;
    first = await get(0, undefined, settings.conditions);
  }
  const total = /\/(\d+)$/.exec(first.response.contentRange ?? "")?.[1];
  const blobSize = total !== undefined ? Number(total) : first.bytes.length;
  const length = Math.max(0, Math.min(count ?? Number.POSITIVE_INFINITY, blobSize - offset));
  const etag = first.response.etag;
  const pinned = { ...settings.conditions, ...(etag ? { ifMatch: etag } : {}) };
  return {
    first: first.response,
    firstBytes: first.bytes.subarray(0, length),
    blobSize,
    length,
    read: async (at, size) => {
      try {
        return (await get(offset + at, size, pinned)).bytes;
      } catch (error) {
        if (!isStorageError(error) || error.statusCode !== 412 || settings.conditions.ifMatch) {
          throw error;
        }
        throw blobChanged(context, etag, error);
      }
    },
    stop: () => stop.abort(),
  };
}

/**
 * Reads `settings`' range of `blob` into memory; `onBytes` hears of every range received, with
 * the bytes to receive in all (known from the first response on).
 */
export async function fetchRanges(
  blob: BlobClient,
  context: ErrorContext,
  settings: DownloadSettings,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number, total: number) => void,
): Promise<FetchedRanges> {
  const opened = await openRanges(blob, context, settings, signal);
  const { first, firstBytes, blobSize, length } = opened;
  onBytes(firstBytes.length, length);
  if (firstBytes.length >= length) return { first, blobSize, bytes: firstBytes };
  const bytes = new Uint8Array(length);
  bytes.set(firstBytes);
  let next = firstBytes.length;
  const worker = async () => {
    while (next < length) {
      const at = next;
      const size = Math.min(settings.rangeSize, length - at);
      next += size;
      const piece = await opened.read(at, size);
      bytes.set(piece, at);
      onBytes(piece.length, length);
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
  } catch (error) {
    opened.stop();
    throw error;
  }
  return { first, blobSize, bytes };
}

/** What {@link streamRanges} does with the bytes besides handing them on, and at the end. */
export interface StreamHooks {
  /** Hears of each piece, in order, before the reader gets it (a hash). */
  piece(bytes: Uint8Array): void | Promise<void>;
  /** Runs after the last piece; a throw errors the stream instead of closing it (a mismatch). */
  end(): void | Promise<void>;
  /** The error the stream fails with when the caller aborts. */
  aborted(): unknown;
}

/**
 * The opened download as a web stream, in order: the ranges after the first are read
 * `concurrency` at a time ahead of the reader, no further (memory: `concurrency` × `rangeSize`).
 * Cancelling the stream or aborting `signal` stops the ranges in flight.
 */
export function streamRanges(
  opened: OpenedRanges,
  settings: DownloadSettings,
  signal: AbortSignal | undefined,
  hooks: StreamHooks,
): ReadableStream<Uint8Array> {
  const { firstBytes, length } = opened;
  let next = firstBytes.length;
  // In order: the first response's bytes, then the ranges read ahead.
  const ahead: Promise<Uint8Array>[] = [Promise.resolve(firstBytes)];
  const readAhead = () => {
    while (ahead.length < settings.concurrency && next < length) {
      const size = Math.min(settings.rangeSize, length - next);
      const piece = opened.read(next, size);
      piece.catch(() => {}); // reported when its turn comes
      ahead.push(piece);
      next += size;
    }
  };
  let onAbort: (() => void) | undefined;
  const settle = () => {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (!signal) return;
        onAbort = () => {
          opened.stop();
          controller.error(hooks.aborted());
        };
        signal.addEventListener("abort", onAbort, { once: true });
      },
      async pull(controller) {
        try {
          readAhead();
          const piece = await ahead.shift();
          if (piece !== undefined && piece.length > 0) {
            await hooks.piece(piece);
            controller.enqueue(piece);
          }
          readAhead();
          if (ahead.length === 0 && next >= length) {
            await hooks.end();
            settle();
            controller.close();
          }
        } catch (error) {
          opened.stop();
          settle();
          throw signal?.aborted ? hooks.aborted() : error;
        }
      },
      cancel() {
        opened.stop();
        settle();
      },
    },
    { highWaterMark: 0 },
  );
}
