// A download returned as a Node.js Readable: the range read in order, one request at a time, as
// fast as the consumer reads; failures and the caller's abort reach it as StorageErrors.
import { Readable } from "node:stream";
import type { StorageError } from "@blobkit/auth";
import { abortError } from "@blobkit/auth/kit";
import { rangeChunks } from "./range-reader.js";
import type { DownloadJob } from "./start.js";

/**
 * The job's range as a Readable. `convert` turns failures into StorageErrors; `onEnd` runs after
 * the last byte.
 */
export function downloadToStream(
  job: DownloadJob,
  signal: AbortSignal | undefined,
  convert: (error: unknown) => StorageError,
  onEnd: () => void,
): Readable {
  job.firstTaken = true;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* rangeChunks(job.reader, job.start, job.end - job.start, job.firstBody);
      onEnd();
    } catch (error) {
      throw convert(error);
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false });
  if (signal) {
    // A consumer that stopped reading would never see the abort: end the stream now.
    const onAbort = () => stream.destroy(convert(abortError()));
    signal.addEventListener("abort", onAbort, { once: true });
    stream.once("close", () => signal.removeEventListener("abort", onAbort));
  }
  return stream;
}
