// A download piped into the caller's Writable: the range read in order, with backpressure.
import { pipeline } from "node:stream/promises";
import { rangeChunks } from "./range-reader.js";
import type { DownloadJob } from "./start.js";

/** Pipes the job's range into `writable`, ending it afterwards when `end` is true. */
export async function downloadToWritable(
  job: DownloadJob,
  writable: NodeJS.WritableStream,
  end: boolean,
): Promise<void> {
  job.firstTaken = true;
  await pipeline(rangeChunks(job.reader, job.start, job.end - job.start, job.firstBody), writable, {
    end,
    signal: job.reader.transfer.signal,
  });
}
