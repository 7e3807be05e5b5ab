// Whose file is it? A file that a long task rewrites as it goes (a download's journal, a folder
// transfer's checkpoint) names the process writing it. Another run must not take it over while
// that process lives, yet a crash must never leave it locked: both packages decide it this way.
import { hostName } from "#platform";

/**
 * A file not written for this long belongs to no live writer (one that runs rewrites or appends
 * to it at least every few seconds), even if its process id has been reused by another program.
 */
const STALE_AFTER_MS = 10 * 60_000;

/** The writer a file names: its process id and host, and when the file was last written. */
export interface FileWriter {
  pid: number;
  host: string;
  /** Milliseconds since the epoch (a file's `mtimeMs`, or a time it records). */
  writtenAt: number;
}

/**
 * Whether another live process on this host holds the file `writer` describes: not this process,
 * the same host, written within the last ten minutes, and the process id still alive. A file left
 * by a process that is gone (or on another host, or long unwritten) is free to take over.
 *
 * @example
 * ```ts
 * import { heldByOtherProcess } from "@blobkit/auth/kit";
 *
 * heldByOtherProcess({ pid: process.pid, host: "any", writtenAt: Date.now() }); // false: this one
 * ```
 */
export function heldByOtherProcess(writer: FileWriter): boolean {
  if (writer.pid === process.pid || writer.host !== hostName()) return false;
  if (!(Date.now() - writer.writtenAt < STALE_AFTER_MS)) return false;
  try {
    process.kill(writer.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: unknown }).code === "EPERM";
  }
}
