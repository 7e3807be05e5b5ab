// A download to one Buffer (and then, for `{ to: "string" }`, a string): read in parallel into a
// buffer of the exact length, checked against the stored MD5 while it fills, with a clear error
// where Node.js cannot hold the result.
import { constants as bufferConstants } from "node:buffer";
import { invalidArgument } from "@blobkit/auth/kit";
import { TrailingMd5 } from "../checksum/trailing-md5.js";
import { readParallel } from "./parallel.js";
import type { DownloadJob } from "./start.js";
import { type VerificationPlan, verifyDigest } from "./verify.js";

/** Downloads the job's range (`length` bytes) into one Buffer. */
export async function downloadToBuffer(
  job: DownloadJob,
  length: number,
  plan: VerificationPlan,
): Promise<Buffer> {
  const buffer = allocate(length);
  const hasher =
    plan.verification === "verified"
      ? new TrailingMd5(job.start, job.end, async (position, count) =>
          buffer.subarray(position - job.start, position - job.start + count),
        )
      : undefined;
  await readParallel(job, (piece, position) => {
    piece.copy(buffer, position - job.start);
    hasher?.written(position, piece);
  });
  if (hasher) {
    await verifyDigest(
      job.reader.context,
      plan,
      () => hasher.digest(),
      "The bytes were discarded.",
    );
  }
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
