// Reads a download's range in parallel ranges of `rangeSize`, `concurrency` at a time, the first
// one from the first response's body; each range's chunks are written at their position as they
// arrive, so memory does not grow with the range size.
import type { Readable } from "node:stream";
import { runBounded } from "../transfer/concurrency.js";
import { rangeChunks } from "./range-reader.js";
import type { DownloadJob } from "./start.js";

/** Writes `chunks` (`bytes` in all) at blob position `position`. */
export type RangeWriter = (
  chunks: Buffer[],
  bytes: number,
  position: number,
) => Promise<void> | void;

/**
 * Reads `[start, end)` in parallel ranges; each range's chunks are written at their position, in
 * batches of at least `batchBytes` (0: every chunk as it comes).
 */
export async function readParallel(
  job: DownloadJob,
  write: RangeWriter,
  batchBytes = 0,
): Promise<void> {
  const { reader, settings } = job;
  let nextOffset = job.start + job.firstLength;
  const next = async () => {
    if (!job.firstTaken) {
      job.firstTaken = true;
      return {
        offset: job.start,
        count: job.firstLength,
        body: job.firstBody as Readable | undefined,
      };
    }
    if (nextOffset >= job.end) return undefined;
    const count = Math.min(settings.rangeSize, job.end - nextOffset);
    const range = { offset: nextOffset, count, body: undefined };
    nextOffset += count;
    return range;
  };
  await runBounded(settings.concurrency, reader.transfer, next, async (range) => {
    let batch: Buffer[] = [];
    let bytes = 0;
    let position = range.offset;
    for await (const chunk of rangeChunks(reader, range.offset, range.count, range.body)) {
      batch.push(chunk);
      bytes += chunk.length;
      if (bytes >= batchBytes) {
        await write(batch, bytes, position);
        position += bytes;
        batch = [];
        bytes = 0;
      }
    }
    if (bytes > 0) await write(batch, bytes, position);
  });
}
