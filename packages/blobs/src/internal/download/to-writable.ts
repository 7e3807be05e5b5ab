// A download piped into the caller's Writable: the range read in order, with backpressure; a
// checksum mismatch destroys the writable with the error instead of ending it, and a writable
// that fails gives a "DestinationError" (the caller's side), not a network or unknown error.
import { pipeline } from "node:stream/promises";
import { destinationError } from "@blobkit/auth/kit";
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
  // What the download itself threw (the service, the network, the checksum): anything else that
  // fails the pipeline came from the writable.
  let ours: unknown;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* sequentialChunks(
        job,
        plan,
        "The writable received them before the check could run: discard what it wrote.",
      );
    } catch (error) {
      ours = error;
      throw error;
    }
  }
  const signal = job.reader.transfer.signal;
  try {
    await pipeline(chunks(), writable, { end, signal });
  } catch (error) {
    if (error === ours || signal.aborted) throw error;
    throw destinationError(error, job.reader.context);
  }
}
