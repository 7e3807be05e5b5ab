// A download to one Buffer (and then, for `{ to: "string" }`, a string): read in parallel into a
// buffer of the exact length, with a clear error where Node.js cannot hold the result.
import { constants as bufferConstants } from "node:buffer";
import { invalidArgument } from "@blobkit/auth/kit";
import { readParallel } from "./parallel.js";
import type { DownloadJob } from "./start.js";

/** Downloads the job's range (`length` bytes) into one Buffer. */
export async function downloadToBuffer(job: DownloadJob, length: number): Promise<Buffer> {
  const buffer = allocate(length);
  await readParallel(job, (chunks, _bytes, position) => {
    let at = position - job.start;
    for (const chunk of chunks) {
      chunk.copy(buffer, at);
      at += chunk.length;
    }
  });
  return buffer;
}

/** Decodes a downloaded buffer, or says which destination to use when it is too long a string. */
export function decode(buffer: Buffer, encoding: BufferEncoding): string {
  try {
    return buffer.toString(encoding);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_STRING_TOO_LONG") {
      throw invalidArgument(
        "destination",
        `the download is ${buffer.length} bytes, more than a JavaScript string can hold (${bufferConstants.MAX_STRING_LENGTH} characters). Download to bytes, { path } or { to: "stream" } instead`,
      );
    }
    throw error;
  }
}

function allocate(length: number): Buffer {
  if (length > bufferConstants.MAX_LENGTH) {
    throw invalidArgument(
      "destination",
      `the download is ${length} bytes, more than the largest Buffer Node.js can create (buffer.constants.MAX_LENGTH = ${bufferConstants.MAX_LENGTH}). Download to { path } or { to: "stream" } instead`,
    );
  }
  try {
    return Buffer.allocUnsafe(length);
  } catch (error) {
    throw invalidArgument(
      "destination",
      `could not allocate ${length} bytes (${error instanceof Error ? error.message : String(error)}). Download to { path } or { to: "stream" } instead`,
    );
  }
}
