// Lists the files of a local folder for a transfer: size and modification time of each, include
// and exclude patterns applied while walking (excluded files are not looked at, excluded folders
// never entered), symbolic links skipped unless asked for (and then followed without looping),
// unreadable entries reported per entry instead of failing the walk.
import type { BigIntStats, Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { StorageError } from "@blobkit/auth";
import { describeOperation, fileSystemError, raceAbort } from "@blobkit/auth/kit";
import type { PathFilter } from "./filters.js";

/** A file found by {@link walkLocal}. */
export interface LocalFile {
  /** Path segments below the folder, as on disk. */
  segments: string[];
  /** The same with "/" separators, for patterns and messages. */
  relative: string;
  /** Absolute or folder-relative path to open. */
  path: string;
  size: number;
  /** Modification time, in milliseconds (fraction kept). */
  mtimeMs: number;
  /** The same in nanoseconds, as the file system keeps it (stored as the blob's `mtime`). */
  mtimeNs: bigint;
}

/** An entry the walk could not use, with the reason. */
export interface LocalProblem {
  relative: string;
  path: string;
  /** `"symlink"` for a link not followed; otherwise the file system's error code. */
  code: string;
  message: string;
  /** The file system's error, when there was one. */
  error?: unknown;
}

export interface WalkOptions {
  filter: PathFilter;
  followSymlinks: boolean;
  signal?: AbortSignal | undefined;
}

/** Directory reads and stats at once: enough to keep the thread pool busy, no more. */
const PARALLEL_STATS = 32;

/** Walks `root` (an existing folder) and returns its files and the entries it had to leave out. */
export async function walkLocal(
  root: string,
  options: WalkOptions,
): Promise<{ files: LocalFile[]; problems: LocalProblem[] }> {
  const files: LocalFile[] = [];
  const problems: LocalProblem[] = [];
  const rootInfo = await stat(root, { bigint: true });
  // Folders already entered, by device and inode: a followed link back up the tree is a loop.
  const entered = new Set<string>([`${rootInfo.dev}:${rootInfo.ino}`]);
  const pending: string[][] = [[]];
  const problem = (segments: string[], code: string, message: string, error?: unknown) => {
    const relative = segments.join("/");
    problems.push({
      relative,
      path: join(root, ...segments),
      code,
      message,
      ...(error !== undefined ? { error } : {}),
    });
  };
  while (pending.length > 0) {
    const batch = pending.splice(0, PARALLEL_STATS);
    const listings = await raceAbort(
      Promise.all(
        batch.map(async (segments) => {
          try {
            return {
              segments,
              entries: await readdir(join(root, ...segments), { withFileTypes: true }),
            };
          } catch (error) {
            problem(
              segments,
              codeOf(error),
              `the folder could not be read (${codeOf(error)})`,
              error,
            );
            return { segments, entries: [] as Dirent[] };
          }
        }),
      ),
      options.signal,
    );
    const candidates: Array<{ segments: string[]; entry: Dirent }> = [];
    for (const { segments, entries } of listings) {
      for (const entry of entries) candidates.push({ segments: [...segments, entry.name], entry });
    }
    for (let i = 0; i < candidates.length; i += PARALLEL_STATS) {
      const slice = candidates.slice(i, i + PARALLEL_STATS);
      await raceAbort(Promise.all(slice.map((c) => visit(c.segments, c.entry))), options.signal);
    }
  }
  return { files, problems };

  async function visit(segments: string[], entry: Dirent): Promise<void> {
    const relative = segments.join("/");
    const path = join(root, ...segments);
    const isLink = entry.isSymbolicLink();
    if (isLink && !options.followSymlinks) {
      problem(
        segments,
        "symlink",
        "a symbolic link, not followed (pass followSymlinks: true to follow links)",
      );
      return;
    }
    // What the patterns leave out is not even looked at: no stat for each file `**/*.map`
    // excludes, nor for an excluded folder. A link's target is known only once followed (and an
    // entry replaced since the listing may turn out otherwise): the pattern it passed is noted,
    // so that the checks after the stat do not match it again.
    const passedFile = !isLink && entry.isFile();
    const passedFolder = !isLink && entry.isDirectory();
    if (passedFile && !options.filter.file(relative)) return;
    if (passedFolder && !options.filter.folder(relative)) return;
    let info: BigIntStats | undefined;
    if (isLink || passedFile || passedFolder) {
      try {
        info = await stat(path, { bigint: true });
      } catch (error) {
        const code = codeOf(error);
        problem(
          segments,
          code,
          isLink ? `a symbolic link to nothing readable (${code})` : `cannot be read (${code})`,
          error,
        );
        return;
      }
    }
    if (info?.isDirectory()) {
      if (!passedFolder && !options.filter.folder(relative)) return;
      const key = `${info.dev}:${info.ino}`;
      if (entered.has(key)) {
        if (isLink)
          problem(
            segments,
            "ELOOP",
            "a symbolic link to a folder already in the transfer (a loop), skipped",
          );
        return;
      }
      entered.add(key);
      pending.push(segments);
      return;
    }
    if (!info?.isFile()) {
      if (passedFile || options.filter.file(relative)) {
        problem(segments, "ENOTFILE", "not a regular file (a socket, pipe or device), skipped");
      }
      return;
    }
    if (!passedFile && !options.filter.file(relative)) return;
    files.push({
      segments,
      relative,
      path,
      size: Number(info.size),
      mtimeMs: Number(info.mtimeNs) / 1e6,
      mtimeNs: info.mtimeNs,
    });
  }
}

export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "EUNKNOWN";
}

/** The `"FileSystemError"` of an entry the walk could not use. */
export function localProblem(
  problem: LocalProblem,
  context: { operation: string; resource?: string },
): StorageError {
  if (problem.error !== undefined)
    return fileSystemError(problem.error, { ...context, path: problem.path });
  return new StorageError(
    "FileSystemError",
    `${describeOperation(context)}: ${JSON.stringify(problem.path)} is ${problem.message}.`,
    { operation: context.operation },
  );
}
