// Reads byte ranges of one blob version: each range resumes from its last byte after a dropped
// connection, a stalled body or one trickling below the floor rate, always with
// `If-Match: <etag>` so two versions are never mixed.
import type { BlobClient } from "@azure/storage-blob";
import { type ErrorContext, isStorageError, StorageError } from "@blobkit/auth";
import { describeOperation } from "@blobkit/auth/kit";
import { blobChanged } from "../errors.js";
import type { BorrowedBody } from "../http/fast-client.js";
import type { TransferSignal } from "../transfer/concurrency.js";
import { getRange } from "./get-range.js";

/** What every range read of one download shares. */
export interface RangeReader {
  blob: BlobClient;
  context: ErrorContext;
  transfer: TransferSignal;
  /** The version being read; set from the first response. */
  etag: string;
  /** Longest wait for body bytes before the connection is dropped and resumed; 0 = never. */
  stallTimeoutMs: number;
  /**
   * Slowest body accepted: a response that delivers less than this per second over a stall
   * window is dropped and resumed; 0 = any speed.
   */
  minBytesPerSecond: number;
  /** Resumes allowed in a row without progress. */
  maxResumes: number;
  /** Lease id to send with every request, if any. */
  leaseId?: string | undefined;
  /** Called with every piece's length. */
  onBytes(bytes: number): void;
}

/** Why a body was dropped: nothing came for too long, or too little. */
class StallError extends Error {
  override readonly name = "StallError";
  /** A trickle: data came, but below the floor rate (no progress worth the name). */
  readonly slow: boolean;

  constructor(message: string, slow: boolean) {
    super(message);
    this.slow = slow;
  }
}

/**
 * Yields the body's pieces (lent: each is valid until the next is asked for). Drops the body when
 * no byte arrives for `stallTimeoutMs` while BlobKit is waiting for one (time spent waiting for a
 * slow consumer does not count), or when a whole stall window brings less than
 * `minBytesPerSecond` per second.
 */
async function* watched(
  body: BorrowedBody,
  stallTimeoutMs: number,
  minBytesPerSecond: number,
): AsyncGenerator<Buffer> {
  let timer: NodeJS.Timeout | undefined;
  // The window counts only the time spent waiting for the body, as the stall timer does: a
  // consumer slower than the floor (a writable to a slow client) is not a trickling service.
  let waited = 0;
  let windowBytes = 0;
  try {
    for (;;) {
      if (stallTimeoutMs > 0) {
        timer = setTimeout(
          () => body.destroy(new StallError(`no data for ${stallTimeoutMs} ms`, false)),
          stallTimeoutMs,
        );
      }
      const asked = performance.now();
      const piece = await body.next();
      waited += performance.now() - asked;
      clearTimeout(timer);
      if (piece === undefined) return;
      if (minBytesPerSecond > 0 && stallTimeoutMs > 0) {
        windowBytes += piece.length;
        if (waited >= stallTimeoutMs) {
          const rate = (windowBytes * 1000) / waited;
          if (rate < minBytesPerSecond) {
            body.destroy();
            throw new StallError(
              `the body came at ${Math.round(rate)} bytes/s over ${Math.round(waited)} ms of waiting, below minBytesPerSecond (${minBytesPerSecond})`,
              true,
            );
          }
          waited = 0;
          windowBytes = 0;
        }
      }
      yield piece;
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Yields bytes `[offset, offset + count)` of the blob in order, as lent pieces. `first` is a body
 * already requested for exactly that range. A body that fails, ends early, stalls or trickles is
 * dropped and the rest requested again with `If-Match`, up to `maxResumes` times in a row
 * without progress (a trickle never counts as progress).
 */
export async function* rangePieces(
  reader: RangeReader,
  offset: number,
  count: number,
  first?: BorrowedBody,
): AsyncGenerator<Buffer> {
  let received = 0;
  let body = first;
  let fruitless = 0;
  try {
    while (received < count) {
      if (body === undefined) {
        try {
          const response = await getRange(
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
          body = response.body;
        } catch (error) {
          if (isStorageError(error, "PreconditionFailed"))
            throw blobChanged(reader.context, reader.etag, error);
          throw error;
        }
      }
      const before = received;
      try {
        for await (const piece of watched(body, reader.stallTimeoutMs, reader.minBytesPerSecond)) {
          if (piece.length > count - received) {
            throw new StorageError(
              "Unknown",
              `${describeOperation(reader.context)} failed: the service sent more bytes than the range asked for.`,
              { operation: reader.context.operation },
            );
          }
          received += piece.length;
          reader.onBytes(piece.length);
          yield piece;
        }
        if (received < count) throw new Error("the response ended early");
      } catch (error) {
        body.destroy();
        body = undefined;
        if (reader.transfer.signal.aborted || isStorageError(error)) throw error;
        const slow = error instanceof StallError && error.slow;
        fruitless = received > before && !slow ? 1 : fruitless + 1;
        if (fruitless > reader.maxResumes) {
          throw new StorageError(
            "NetworkError",
            slow
              ? `${describeOperation(reader.context)} failed: the service sent the body too slowly ${fruitless} times in a row (${error.message}). Check the network, or lower minBytesPerSecond.`
              : `${describeOperation(reader.context)} failed: the connection dropped ${fruitless} times in a row without delivering data (${error instanceof Error ? error.message : String(error)}). Check the network, or raise maxResumes.`,
            { operation: reader.context.operation },
          );
        }
      }
    }
  } finally {
    // The consumer is done with the last piece (or stopped early: error, abort, destroyed stream):
    // the connection goes back to the pool only if the body was read to its end.
    if (body !== undefined && received < count) body.destroy();
    else body?.release();
  }
}
