// The first request of a download: it fixes the version (its ETag), tells the blob's size, and
// its body carries the first bytes. Every destination then continues from this `DownloadJob`.
import type { BlobClient } from "@azure/storage-blob";
import { type ErrorContext, isStorageError, type Progress } from "@blobkit/auth";
import type { BorrowedBody } from "../http/fast-client.js";
import type { TransferSignal } from "../transfer/concurrency.js";
import { progressReporter } from "../transfer/progress.js";
import { getRange, type RangeResponse, rangeNotSatisfiable } from "./get-range.js";
import type { RangeReader } from "./range-reader.js";
import type { DownloadSettings } from "./settings.js";

/** One download in progress. */
export interface DownloadJob {
  reader: RangeReader;
  settings: DownloadSettings;
  /** First byte to download. */
  start: number;
  /** Byte after the last one to download. */
  end: number;
  /** Where the first response's bytes start: `start`, or the first byte a resumed run lacks. */
  firstStart: number;
  /** Bytes the first response carries, from `firstStart`. */
  firstLength: number;
  firstBody: BorrowedBody;
  /** Whether the first body has been handed to a reader (which then owns it). */
  firstTaken?: boolean;
  /**
   * The budget slot the first request holds (when there is a budget), handed with the first
   * body to whoever reads it, and released by {@link dropFirst} if nobody does.
   */
  firstSlot?: (() => void) | undefined;
}

/** Memory a request holds while its body is read: the connection's read buffer. */
export const RANGE_MEMORY = 1024 * 1024;

/** Takes the first body's budget slot (the reader of the first body releases it). */
export function takeFirstSlot(job: DownloadJob): (() => void) | undefined {
  const slot = job.firstSlot;
  job.firstSlot = undefined;
  return slot;
}

/** Drops the first response if no reader took it, and frees its budget slot. */
export function dropFirst(job: DownloadJob): void {
  if (!job.firstTaken) {
    job.firstTaken = true;
    job.firstBody.destroy();
  }
  takeFirstSlot(job)?.();
}

/** A started download: its job, its progress, and the first response for the result. */
export interface StartedDownload {
  job: DownloadJob;
  progress: ReturnType<typeof progressReporter>;
  first: RangeResponse;
  /** Size of the whole blob. */
  blobSize: number;
  /** Bytes to download (the range's length). */
  length: number;
}

/**
 * Sends the first request (the whole range for sequential destinations, the first `rangeSize`
 * for parallel ones) and sets up the job. An offset past the end fails like Azure does.
 */
export async function startDownload(
  blob: BlobClient,
  context: ErrorContext,
  transfer: TransferSignal,
  settings: DownloadSettings,
  parallel: boolean,
  onProgress: ((progress: Progress) => void) | undefined,
  resumeAt?: number,
): Promise<StartedDownload> {
  // The first request waits for its slot like every range (and keeps it for its body).
  const firstSlot = await settings.budget?.acquire(RANGE_MEMORY, transfer.signal);
  // A resumed download asks first for what it lacks: the bytes an earlier run wrote are not sent
  // again just to learn the blob's version (which the journal is then checked against).
  const firstStart = parallel && resumeAt !== undefined ? resumeAt : settings.offset;
  let first: RangeResponse;
  try {
    first = await firstResponse(blob, context, transfer, settings, parallel, firstStart);
  } catch (error) {
    firstSlot?.();
    throw error;
  }
  const firstBody = first.body;
  const blobSize = first.blobSize;
  if (settings.offset > 0 && settings.offset >= blobSize) {
    // Azure answers 416 here; Azurite answers an empty 206. Behave like Azure on both.
    firstBody.destroy();
    firstSlot?.();
    throw rangeNotSatisfiable(context, settings.offset, blobSize);
  }
  const end =
    settings.count === undefined ? blobSize : Math.min(blobSize, settings.offset + settings.count);
  const length = Math.max(0, end - settings.offset);
  const progress = progressReporter(onProgress, length, 256 * 1024);
  const reader: RangeReader = {
    blob,
    context,
    transfer,
    etag: first.etag ?? "",
    stallTimeoutMs: settings.stallTimeoutMs,
    minBytesPerSecond: settings.minBytesPerSecond,
    maxResumes: settings.maxResumes,
    leaseId: settings.conditions.leaseId,
    onBytes: (bytes) => progress.add(bytes),
  };
  const job: DownloadJob = {
    reader,
    settings,
    start: settings.offset,
    end,
    firstStart,
    firstLength: Math.max(0, Math.min(first.contentLength, end - firstStart)),
    firstBody,
    firstSlot,
  };
  return { job, progress, first, blobSize, length };
}

/** The first request: the whole range for sequential reads, the first `rangeSize` otherwise. */
async function firstResponse(
  blob: BlobClient,
  context: ErrorContext,
  transfer: TransferSignal,
  settings: DownloadSettings,
  parallel: boolean,
  firstStart: number,
): Promise<RangeResponse> {
  const rangeEnd =
    settings.count === undefined ? Number.POSITIVE_INFINITY : settings.offset + settings.count;
  const count = parallel ? Math.min(settings.rangeSize, rangeEnd - firstStart) : settings.count;
  try {
    return await getRange(blob, context, transfer.signal, firstStart, count, settings.conditions);
  } catch (error) {
    // Azure answers a ranged read of an empty blob with 416; read it whole instead.
    if (!isStorageError(error, "RangeNotSatisfiable")) throw error;
    // A resume point past a blob that has since shrunk: start from the range's start.
    if (firstStart !== settings.offset) {
      return firstResponse(blob, context, transfer, settings, parallel, settings.offset);
    }
    if (parallel && settings.offset === 0 && settings.count === undefined) {
      return getRange(blob, context, transfer.signal, 0, undefined, settings.conditions);
    }
    throw error;
  }
}
