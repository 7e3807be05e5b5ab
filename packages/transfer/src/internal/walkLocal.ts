// Reads a local folder for a transfer, one folder at a time: size and modification time of each
// file, include and exclude patterns applied while reading (excluded files are not looked at,
// excluded folders never entered), symbolic links skipped unless asked for (and then followed
// without looping), unreadable entries reported per entry instead of failing the transfer.
import type { BigIntStats, Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { StorageError } from "@blobkit/auth";
import { describeOperation, fileSystemError, raceAbort } from "@blobkit/auth/kit";
import type { PathFilter } from "./filters.js";

/** A file found by {@link readLocalFolder}. */
export interface LocalFile {
  /** Its name in its folder, as on disk. */
  name: string;
  /** Path segments below the root, as on disk. */
  segments: string[];
  /** The same with "/" separators, for patterns and messages. */
  relative: string;
  /** Absolute or root-relative path to open. */
  path: string;
  /** Size in bytes (0 when the folder was read without `statFiles`). */
  size: number;
  /** Modification time, in milliseconds (fraction kept). */
  mtimeMs: number;
  /** The same in nanoseconds, as the file system keeps it (stored as the blob's `mtime`). */
  mtimeNs: bigint;
}

/** A folder found by {@link readLocalFolder}, to read next. */
export interface LocalSubfolder {
  name: string;
  segments: string[];
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

export interface ReadFolderOptions {
  filter: PathFilter;
  followSymlinks: boolean;
  /**
   * Folders already entered, by device and inode, shared by every read of one transfer: a
   * followed link back up the tree is a loop. Start it with {@link enteredRoot}.
   */
  entered: Set<string>;
  /** Stat every file (size and time); without it only links are looked at (a names-only pass). */
  statFiles: boolean;
  signal?: AbortSignal | undefined;
}

/** What one folder holds for a transfer. */
export interface LocalFolderContents {
  files: LocalFile[];
  folders: LocalSubfolder[];
  problems: LocalProblem[];
}

/** Stats at once: enough to keep the thread pool busy, no more. */
const PARALLEL_STATS = 32;

/** The loop-detection set of a walk of `root` (an existing folder), holding the root itself. */
export async function enteredRoot(root: string): Promise<Set<string>> {
  const info = await stat(root, { bigint: true });
  return new Set([`${info.dev}:${info.ino}`]);
}

/** Reads the folder at `segments` below `root`: its files, the folders to enter, the problems. */
export async function readLocalFolder(
  root: string,
  segments: readonly string[],
  options: ReadFolderOptions,
): Promise<LocalFolderContents> {
  const contents: LocalFolderContents = { files: [], folders: [], problems: [] };
  const problem = (at: string[], code: string, message: string, error?: unknown) => {
    contents.problems.push({
      relative: at.join("/"),
      path: join(root, ...at),
      code,
      message,
      ...(error !== undefined ? { error } : {}),
    });
  };
  let entries: Dirent[];
  try {
    entries = await raceAbort(
      readdir(join(root, ...segments), { withFileTypes: true }),
      options.signal,
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    problem([...segments], codeOf(error), `the folder could not be read (${codeOf(error)})`, error);
    return contents;
  }
  for (let i = 0; i < entries.length; i += PARALLEL_STATS) {
    const slice = entries.slice(i, i + PARALLEL_STATS);
    await raceAbort(Promise.all(slice.map((entry) => visit(entry))), options.signal);
  }
  return contents;

  async function visit(entry: Dirent): Promise<void> {
    const at = [...segments, entry.name];
    const relative = at.join("/");
    const path = join(root, ...at);
    const isLink = entry.isSymbolicLink();
    if (isLink && !options.followSymlinks) {
      problem(
        at,
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
    if (passedFolder && !options.followSymlinks) {
      // No link is followed: no folder can be entered twice, so there is nothing to stat.
      contents.folders.push({ name: entry.name, segments: at });
      return;
    }
    if (passedFile && !options.statFiles) {
      contents.files.push({
        name: entry.name,
        segments: at,
        relative,
        path,
        size: 0,
        mtimeMs: 0,
        mtimeNs: 0n,
      });
      return;
    }
    let info: BigIntStats | undefined;
    if (isLink || passedFile || passedFolder) {
      try {
        info = await stat(path, { bigint: true });
      } catch (error) {
        const code = codeOf(error);
        problem(
          at,
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
      if (options.entered.has(key)) {
        if (isLink)
          problem(
            at,
            "ELOOP",
            "a symbolic link to a folder already in the transfer (a loop), skipped",
          );
        return;
      }
      options.entered.add(key);
      contents.folders.push({ name: entry.name, segments: at });
      return;
    }
    if (!info?.isFile()) {
      if (passedFile || options.filter.file(relative)) {
        problem(at, "ENOTFILE", "not a regular file (a socket, pipe or device), skipped");
      }
      return;
    }
    if (!passedFile && !options.filter.file(relative)) return;
    contents.files.push({
      name: entry.name,
      segments: at,
      relative,
      path,
      size: Number(info.size),
      mtimeMs: Number(info.mtimeNs) / 1e6,
      mtimeNs: info.mtimeNs,
    });
  }
}

/**
 * Every file below the folder at `segments`, depth first, one folder in memory at a time: what a
 * sync deletes when the source no longer has the folder at all.
 */
export async function* localFilesUnder(
  root: string,
  segments: readonly string[],
  options: Omit<ReadFolderOptions, "statFiles" | "entered">,
): AsyncGenerator<LocalFile> {
  const entered = new Set<string>();
  const stack: Array<readonly string[]> = [segments];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const contents = await readLocalFolder(root, next, { ...options, entered, statFiles: true });
    yield* contents.files;
    for (const folder of contents.folders) stack.push(folder.segments);
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
