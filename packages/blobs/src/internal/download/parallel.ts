// Reads a download's range in parallel ranges of `rangeSize`, `concurrency` at a time (and within
// the budget, when there is one), the first one from the first response's body. Each piece is
// handed to the destination at its position as it arrives and must be used before the next one
// is read (pieces are lent from a reused buffer), so memory does not grow with the range size.
import type { BorrowedBody } from "../http/fast-client.js";
import { runBounded } from "../transfer/concurrency.js";
import { rangePieces } from "./range-reader.js";
import { type DownloadJob, dropFirst, RANGE_MEMORY, takeFirstSlot } from "./start.js";

/** Uses `piece` (lent: valid only until this returns or its promise settles) at `position`. */
export type PieceWriter = (piece: Buffer, position: number) => Promise<void> | void;

/**
 * Reads `[start, end)` in parallel ranges, leaving out `skip` (ranges an earlier run already
 * wrote, as `[start, end)` pairs in order); `onRange` runs after each range is written.
 */
export async function readParallel(
  job: DownloadJob,
  write: PieceWriter,
  options: {
    skip?: ReadonlyArray<readonly [number, number]>;
    onRange?: (start: number, end: number) => void | Promise<void>;
  } = {},
): Promise<void> {
  const { reader, settings } = job;
  const ranges = plannedRanges(job, options.skip ?? []);
  // A first response no range reads (an earlier run wrote its bytes) must not hold its
  // connection and budget slot while the others wait for theirs.
  if (!job.firstTaken) dropFirst(job);
  let index = 0;
  const next = async () => ranges[index++];
  await runBounded(settings.concurrency, reader.transfer, next, async (range) => {
    // The first response's range already holds the first request's slot.
    const release = range.body
      ? takeFirstSlot(job)
      : await settings.budget?.acquire(RANGE_MEMORY, reader.transfer.signal);
    try {
      let position = range.offset;
      for await (const piece of rangePieces(reader, range.offset, range.count, range.body)) {
        await write(piece, position);
        position += piece.length;
      }
      await options.onRange?.(range.offset, range.offset + range.count);
    } finally {
      release?.();
    }
  });
}

/**
 * The ranges still to read: `[start, end)` without what `skip` says is written and without the
 * first response's bytes (which the first range reads from its body), cut into `rangeSize`.
 */
function plannedRanges(
  job: DownloadJob,
  skip: ReadonlyArray<readonly [number, number]>,
): Array<{ offset: number; count: number; body?: BorrowedBody }> {
  const ranges: Array<{ offset: number; count: number; body?: BorrowedBody }> = [];
  const firstEnd = job.firstStart + job.firstLength;
  const written = (offset: number, end: number) =>
    skip.some(([start, stop]) => start <= offset && end <= stop);
  const taken: Array<readonly [number, number]> = [...skip];
  if (!job.firstTaken && job.firstLength > 0 && !written(job.firstStart, firstEnd)) {
    job.firstTaken = true;
    ranges.push({ offset: job.firstStart, count: job.firstLength, body: job.firstBody });
    taken.push([job.firstStart, firstEnd]);
  }
  taken.sort((a, b) => a[0] - b[0]);
  let at = job.start;
  const cut = (from: number, to: number) => {
    for (let offset = from; offset < to; offset += job.settings.rangeSize) {
      ranges.push({ offset, count: Math.min(to, offset + job.settings.rangeSize) - offset });
    }
  };
  for (const [start, stop] of taken) {
    if (start > at) cut(at, Math.min(start, job.end));
    at = Math.max(at, stop);
  }
  if (at < job.end) cut(at, job.end);
  return ranges;
}
