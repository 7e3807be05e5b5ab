// A download piped into the caller's Writable: the range read in order, with backpressure; a
// checksum mismatch destroys the writable with the error instead of ending it.
import { pipeline } from "node:stream/promises";
import { sequentialChunks } from "./sequential.js";
import type { DownloadJob } from "./start.js";
import type { VerificationPlan } from "./verify.js";

/** Pipes the job's range into `writable`, ending it afterwards when `end` is true. */
export async function downloadToWritable(
  job: DownloadJob,
  plan: VerificationPlan,
  writable: NodeJS.WritableStream,
  end: boolean,
): Promise<void> {
  await pipeline(
    sequentialChunks(
      job,
      plan,
      "The writable received them before the check could run: discard what it wrote.",
    ),
    writable,
    { end, signal: job.reader.transfer.signal },
  );
}
