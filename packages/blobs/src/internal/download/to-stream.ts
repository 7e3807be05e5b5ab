// A download returned as a Node.js Readable: the range read in order, one request at a time, as
// fast as the consumer reads; failures, a checksum mismatch and the caller's abort reach it as
// StorageErrors (the stream is destroyed with them instead of ending).
import { Readable } from "node:stream";
import type { StorageError } from "@blobkit/auth";
import { abortError } from "@blobkit/auth/kit";
import { sequentialChunks } from "./sequential.js";
import { type DownloadJob, dropFirst } from "./start.js";
import type { VerificationPlan } from "./verify.js";

/**
 * The job's range as a Readable. `convert` turns failures into StorageErrors; `onEnd` runs after
 * the last byte.
 */
export function downloadToStream(
  job: DownloadJob,
  plan: VerificationPlan,
  signal: AbortSignal | undefined,
  convert: (error: unknown) => StorageError,
  onEnd: () => void,
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* sequentialChunks(
        job,
        plan,
        "The stream delivered them before the check could run: discard what you read.",
      );
      onEnd();
    } catch (error) {
      throw convert(error);
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false });
  // Destroyed before its first read, the generator never runs: free the first response here.
  stream.once("close", () => dropFirst(job));
  if (signal) {
    // A consumer that stopped reading would never see the abort: end the stream now.
    const onAbort = () => stream.destroy(convert(abortError()));
    signal.addEventListener("abort", onAbort, { once: true });
    stream.once("close", () => signal.removeEventListener("abort", onAbort));
  }
  return stream;
}
