// A download to a file: written in parallel to a partial file beside it, with a journal of the
// ranges written (so that a download run again after a crash continues where it stopped, if the
// blob has not changed), checked against the stored MD5 while it is written, flushed to disk, and
// renamed into place, keeping the permissions of the file it replaces.
import { type FileHandle, open, rename, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { isStorageError } from "@blobkit/auth";
import { fileSystemError } from "@blobkit/auth/kit";
import { TrailingMd5 } from "../checksum/trailing-md5.js";
import { EarlyWriteBack } from "./early-write-back.js";
import {
  addRange,
  claim,
  type JournalState,
  readJournal,
  removeQuietly,
  sidecarsOf,
  writeJournal,
} from "./journal.js";
import { readParallel } from "./parallel.js";
import type { Destination } from "./settings.js";
import { type DownloadJob, dropFirst } from "./start.js";
import { syncFolder } from "./sync-folder.js";
import { type VerificationPlan, verifyDigest } from "./verify.js";

type FileDestination = Extract<Destination, { kind: "file" }>;

/**
 * Downloads the job's range into `target` (already resolved: links followed, folder present;
 * `existingMode` is the mode of the file it replaces). Returns how many bytes an earlier run had
 * already written.
 */
export async function downloadToFile(
  job: DownloadJob,
  { target, existingMode }: { target: string; existingMode: number | undefined },
  destination: FileDestination,
  plan: VerificationPlan,
): Promise<{ resumedBytes: number }> {
  const { context } = job.reader;
  // A download that the first response carries whole has nothing to resume at range grain: no
  // journal to read or write (for a folder of small files, that is most of their file work).
  const journaled =
    destination.resume && (job.firstStart !== job.start || job.firstLength < job.end - job.start);
  const { partial, journal, journalTemp } = sidecarsOf(target);
  // The message names the caller's file; an error on the partial file or the journal (whose
  // path the error carries) names that one too ("... '.a.csv.blobkit-partial' (for 'a.csv')").
  const local = (error: unknown) =>
    isStorageError(error)
      ? error
      : fileSystemError(error, {
          operation: context.operation,
          ...(context.resource ? { resource: context.resource } : {}),
          path: target,
        });
  const previous = journaled ? await readJournal(journal) : undefined;
  const release = claim(target, previous, context.operation);
  const state: JournalState = {
    version: 1,
    blob: job.reader.blob.url.split("?")[0] ?? "",
    etag: job.reader.etag,
    blobSize: job.end,
    start: job.start,
    end: job.end,
    done: [],
    pid: process.pid,
    host: journaled ? hostname() : "",
    updatedAt: "",
  };
  let handle: FileHandle | undefined;
  let writeBack: EarlyWriteBack | undefined;
  try {
    const resumable =
      previous !== undefined &&
      previous.blob === state.blob &&
      previous.etag === state.etag &&
      previous.start === state.start &&
      previous.end === state.end &&
      ((await stat(partial).catch(() => undefined))?.size ?? -1) >=
        (previous.done.at(-1)?.[1] ?? 0) - state.start;
    if (resumable) state.done = previous.done.map(([start, end]) => [start, end]);
    const file = await open(partial, resumable ? "r+" : "w+", destination.mode).catch((error) => {
      throw local(error);
    });
    handle = file;
    const resumedBytes = state.done.reduce((sum, [start, end]) => sum + (end - start), 0);
    job.reader.onBytes(resumedBytes);
    const hasher =
      plan.verification === "verified"
        ? new TrailingMd5(job.start, job.end, readBackFrom(file, job.start))
        : undefined;
    for (const [start, end] of state.done) hasher?.writtenBefore(start, end);
    // Written after each range completes (one small file, renamed into place): a kill loses at
    // most the ranges in flight. Writes never overlap; a range done meanwhile is in the next one.
    let writing: Promise<void> | undefined;
    let dirty = false;
    const saveJournal = async (): Promise<void> => {
      if (!journaled) return;
      if (writing) {
        dirty = true;
        return writing;
      }
      writing = (async () => {
        do {
          dirty = false;
          await writeJournal(journal, state);
        } while (dirty);
      })().finally(() => {
        writing = undefined;
      });
      return writing.catch((error: unknown) => {
        throw local(error);
      });
    };
    if (!resumable) await saveJournal();
    if (destination.durable) writeBack = new EarlyWriteBack(file);
    try {
      await readParallel(
        job,
        async (piece, position) => {
          await writeFully(file, piece, position - job.start).catch((error) => {
            throw local(error);
          });
          hasher?.written(position, piece);
          writeBack?.wrote(piece.length);
        },
        {
          skip: state.done,
          onRange: async (start, end) => {
            addRange(state.done, start, end);
            await saveJournal();
          },
        },
      );
    } catch (error) {
      // Keep what was written for the next run: the journal says which ranges are complete.
      if (!useless(error)) await saveJournal().catch(() => {});
      throw error;
    }
    dropFirst(job);
    if (hasher) {
      await verifyDigest(
        context,
        plan,
        () => hasher.digest(),
        `Nothing was written to ${JSON.stringify(target)}${existingMode !== undefined ? " (the file there is untouched)" : ""}.`,
      );
    }
    if (existingMode !== undefined) await file.chmod(existingMode).catch(() => {});
    await writeBack?.done().catch((error: unknown) => {
      throw local(error);
    });
    if (destination.durable)
      await file.sync().catch((error) => {
        throw local(error);
      });
    await file.close();
    handle = undefined;
    await rename(partial, target).catch((error) => {
      throw local(error);
    });
    if (destination.durable) await syncFolder(dirname(target));
    // Also a journal an earlier, larger attempt left (one unlink; its temporary file, only then).
    if (destination.resume)
      await removeQuietly(...(journaled ? [journal, journalTemp] : [journal]));
    return { resumedBytes };
  } catch (error) {
    await writeBack?.settled();
    await handle?.close().catch(() => {});
    // Without a journal, a partial file cannot be resumed: it goes too.
    if (!journaled || useless(error)) {
      await removeQuietly(partial, journal, journalTemp);
    }
    throw error;
  } finally {
    release();
  }
}

/**
 * Whether a partial file cannot help the next run: corrupted bytes, a blob that changed (the next
 * run starts over anyway), a local problem to fix first (a full disk wants its space back).
 */
function useless(error: unknown): boolean {
  return isStorageError(
    error,
    "ChecksumMismatch",
    "PreconditionFailed",
    "FileSystemError",
    "InvalidArgument",
  );
}

/**
 * Reads back what was written, for the MD5 (through the page cache: no network, no copy kept).
 * Its buffer is made on first use: a download whose pieces all arrive in order never needs it.
 */
function readBackFrom(file: FileHandle, start: number) {
  let buffer: Buffer | undefined;
  return async (position: number, length: number): Promise<Uint8Array> => {
    buffer ??= Buffer.allocUnsafe(4 * 1024 * 1024);
    const view = length <= buffer.length ? buffer.subarray(0, length) : Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await file.read(
        view,
        filled,
        length - filled,
        position - start + filled,
      );
      if (bytesRead === 0)
        throw new Error(`the partial file ends before byte ${position + filled}`);
      filled += bytesRead;
    }
    return view;
  };
}

async function writeFully(file: FileHandle, piece: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < piece.length) {
    const result = await file.write(piece, written, piece.length - written, position + written);
    written += result.bytesWritten;
  }
}
