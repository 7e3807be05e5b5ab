// The first request of a download: it fixes the version (its ETag), tells the blob's size, and
// its body carries the first bytes. Every destination then continues from this `DownloadJob`.
import type { BlobClient } from "@azure/storage-blob";
import { type ErrorContext, isStorageError, type Progress, StorageError } from "@blobkit/auth";
import { describeOperation } from "@blobkit/auth/kit";
import type { BorrowedBody } from "../http/fast-client.js";
import type { TransferSignal } from "../transfer/concurrency.js";
import { progressReporter } from "../transfer/progress.js";
import { getRange, type RangeResponse } from "./get-range.js";
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
  /** Bytes the first response carries, from `start`. */
  firstLength: number;
  firstBody: BorrowedBody;
  /** Whether the first body has been handed to a reader (which then owns it). */
  firstTaken?: boolean;
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
): Promise<StartedDownload> {
  const first = await firstResponse(blob, context, transfer, settings, parallel);
  const firstBody = first.body;
  const blobSize = first.blobSize;
  if (settings.offset > 0 && settings.offset >= blobSize) {
    // Azure answers 416 here; Azurite answers an empty 206. Behave like Azure on both.
    firstBody.destroy();
    throw new StorageError(
      "RangeNotSatisfiable",
      `${describeOperation(context)} failed: the range starts at byte ${settings.offset} but the blob has ${blobSize} bytes.`,
      { operation: context.operation, statusCode: 416, serviceCode: "InvalidRange" },
    );
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
    firstLength: Math.min(first.contentLength, length),
    firstBody,
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
): Promise<RangeResponse> {
  const count = parallel
    ? Math.min(settings.rangeSize, settings.count ?? Number.POSITIVE_INFINITY)
    : settings.count;
  try {
    return await getRange(
      blob,
      context,
      transfer.signal,
      settings.offset,
      count,
      settings.conditions,
    );
  } catch (error) {
    // Azure answers a ranged read of an empty blob with 416; read it whole instead.
    if (
      parallel &&
      settings.offset === 0 &&
      settings.count === undefined &&
      isStorageError(error, "RangeNotSatisfiable")
    ) {
      return getRange(blob, context, transfer.signal, 0, undefined, settings.conditions);
    }
    throw error;
  }
}
