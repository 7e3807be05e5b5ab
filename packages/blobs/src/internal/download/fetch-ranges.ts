// The browser's download data path (downloadBlob.browser.ts): the blob read in ranges of
// `rangeSize`, `concurrency` at a time, through the SDK's own fetch client. A range whose body
// fails or comes short (a dropped connection) is asked for again, up to `maxResumes` times in a
// row; every range after the first is pinned to the first response's ETag, so a blob changed
// meanwhile fails the download instead of mixing two versions.
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

type Conditions = DownloadSettings["conditions"];

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
  onBytes(first.bytes.length, length);
  if (first.bytes.length >= length) {
    return { first: first.response, blobSize, bytes: first.bytes.subarray(0, length) };
  }

  const etag = first.response.etag;
  const pinned = { ...settings.conditions, ...(etag ? { ifMatch: etag } : {}) };
  const bytes = new Uint8Array(length);
  bytes.set(first.bytes);
  let next = first.bytes.length;
  const worker = async () => {
    while (next < length) {
      const at = next;
      const size = Math.min(rangeSize, length - at);
      next += size;
      const piece = await get(offset + at, size, pinned).catch((error: unknown) => {
        if (!isStorageError(error) || error.statusCode !== 412 || settings.conditions.ifMatch) {
          throw error;
        }
        throw blobChanged(context, etag, error);
      });
      bytes.set(piece.bytes, at);
      onBytes(piece.bytes.length, length);
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
  } catch (error) {
    stop.abort();
    throw error;
  }
  return { first: first.response, blobSize, bytes };
}
