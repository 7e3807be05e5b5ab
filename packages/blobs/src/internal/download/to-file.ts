// A download to a file: written in parallel under a temporary name in the same folder and renamed
// once complete, so a failed download never leaves a partial file under the final name.
import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { readParallel } from "./parallel.js";
import type { DownloadJob } from "./start.js";

/** Downloads the job's range into the file at `path`, replacing any file there. */
export async function downloadToFile(job: DownloadJob, path: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.partial`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, "wx");
    const file = handle;
    await readParallel(
      job,
      (chunks, bytes, position) => writeFully(file, chunks, bytes, position - job.start),
      256 * 1024,
    );
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}

async function writeFully(
  handle: FileHandle,
  chunks: Buffer[],
  bytes: number,
  position: number,
): Promise<void> {
  const { bytesWritten } = await handle.writev(chunks, position);
  if (bytesWritten === bytes) return;
  // A short write: write the rest in one piece.
  const rest = Buffer.concat(chunks).subarray(bytesWritten);
  let written = 0;
  while (written < rest.length) {
    const result = await handle.write(
      rest,
      written,
      rest.length - written,
      position + bytesWritten + written,
    );
    written += result.bytesWritten;
  }
}
