// Errors of the local side of a transfer: a file or folder that cannot be read or written, a
// caller's source stream or destination writable that fails. They get their own codes because
// they are not network problems: retrying the same request against a full disk never helps.
import { redactSecrets, sanitizedCause } from "../internal/redact.js";
import { StorageError } from "../StorageError.js";
import { describeOperation } from "./describe.js";

/** What a local error happened to: the operation, what it acted on, and the local path. */
export interface FileSystemErrorContext {
  /** Verb phrase, e.g. `"download blob"`. */
  readonly operation: string;
  /** What it acted on, e.g. `"blob 'reports/a.csv'"`. */
  readonly resource?: string;
  /** The file or folder the caller named (the error may be about a temporary file next to it). */
  readonly path: string;
}

/** What a source or destination error happened to. */
export interface StreamErrorContext {
  /** Verb phrase, e.g. `"upload blob"`. */
  readonly operation: string;
  /** What it acted on, e.g. `"blob 'reports/a.csv'"`. */
  readonly resource?: string;
}

/** A Node.js file-system error (`fs`, `fs/promises`, file streams) as this module reads it. */
interface NodeFsError extends Error {
  code: string;
  syscall: string;
  /** Absent on errors of calls on an open file (`write`, `fsync`, `close`). */
  path?: string;
  dest?: string;
}

// The cause in words, and what to do about it.
const CAUSES: Readonly<Record<string, readonly [cause: string, advice: string]>> = {
  ENOSPC: ["the disk is full", "free space and run it again"],
  EDQUOT: ["the disk quota is exceeded", "free space or raise the quota and run it again"],
  EFBIG: ["the file is too large for this file system", "use a file system that allows it"],
  ENAMETOOLONG: [
    "the file name is too long for this file system",
    "use a shorter name or a shorter folder path",
  ],
  EACCES: [
    "no permission",
    "check the permissions of the file and its folder, or choose another path",
  ],
  EPERM: [
    "the operation is not permitted",
    "check the permissions and attributes of the file and its folder, or choose another path",
  ],
  EROFS: ["the file system is read-only", "choose a path on a writable file system"],
  ENOENT: [
    "the file or folder does not exist",
    "check the path, and create the folder first if it is missing",
  ],
  ENOTDIR: ["a part of the path is not a folder", "check the path"],
  EISDIR: ["the path is a folder, not a file", "give the path of a file"],
  EEXIST: ["it already exists", "remove it or choose another name"],
  ENOTEMPTY: ["the folder is not empty", "empty it or choose another folder"],
  EXDEV: [
    "it would move a file across file systems",
    "keep the file and its folder on one file system",
  ],
  EMFILE: [
    "this process has too many open files",
    "lower the concurrency or raise the limit (ulimit -n)",
  ],
  ENFILE: ["the system has too many open files", "close other programs or raise the limit"],
  EBUSY: ["the file is busy or locked", "close the program that holds it and run it again"],
  ELOOP: ["the path has too many symbolic links (or a loop)", "check the path's links"],
  EIO: ["the device reported an input/output error", "check the disk and its connection"],
};

const DOING: Readonly<Record<string, string>> = {
  open: "opening",
  read: "reading",
  write: "writing",
  close: "closing",
  fsync: "flushing",
  fdatasync: "flushing",
  rename: "renaming",
  mkdir: "creating the folder",
  rmdir: "removing the folder",
  unlink: "removing",
  scandir: "listing",
  stat: "checking",
  lstat: "checking",
  fstat: "checking",
  access: "checking",
  copyfile: "copying",
  ftruncate: "truncating",
  truncate: "truncating",
  chmod: "setting the mode of",
  fchmod: "setting the mode of",
  symlink: "linking",
  link: "linking",
  realpath: "resolving",
  readlink: "resolving",
  utime: "setting the times of",
  futime: "setting the times of",
};

/**
 * Tells whether an error is a Node.js file-system error: a string `code` such as `ENOSPC` and the
 * `syscall` that failed, and no `address` or `port` (which socket errors carry). An error with a
 * `path` (`open`, `rename`, `mkdir`, ...) is one whatever its code; an error of a call on an open
 * file (`write ENOSPC`, `fsync EIO`) has no path, and is one when its code is about files, not
 * connections: `write EPIPE` and `read ECONNRESET` on a socket are network errors.
 *
 * @example
 * ```ts
 * import { open } from "node:fs/promises";
 * import { isFileSystemFailure } from "@blobkit/auth/kit";
 *
 * const error = await open("/no/such/folder/a.txt").catch((e: unknown) => e);
 * isFileSystemFailure(error); // true (ENOENT, open)
 * ```
 */
export function isFileSystemFailure(error: unknown): error is NodeFsError {
  if (typeof error !== "object" || error === null) return false;
  const e = error as Partial<Record<"code" | "syscall" | "path" | "address" | "port", unknown>>;
  if (typeof e.code !== "string" || !/^E[A-Z0-9]+$/.test(e.code)) return false;
  if (typeof e.syscall !== "string" || e.address !== undefined || e.port !== undefined) {
    return false;
  }
  return typeof e.path === "string" || Object.hasOwn(CAUSES, e.code);
}

/** "the disk is full while writing '/data/.a.csv.partial' (ENOSPC)", and the advice. */
function describeFsFailure(error: unknown, path: string): { cause: string; advice?: string } {
  if (!isFileSystemFailure(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { cause: `${redactSecrets(message)} (on '${redactSecrets(path)}')` };
  }
  const known = CAUSES[error.code];
  const doing = DOING[error.syscall] ?? error.syscall;
  const failedOn = error.path ?? (path === "" ? undefined : path);
  const target =
    failedOn === undefined
      ? "a local file"
      : error.dest
        ? `'${failedOn}' to '${error.dest}'`
        : `'${failedOn}'${failedOn === path || path === "" ? "" : ` (for '${path}')`}`;
  const cause = `${known ? known[0] : redactSecrets(error.message)} while ${doing} ${redactSecrets(target)} (${error.code})`;
  return known ? { cause, advice: known[1] } : { cause };
}

/**
 * Turns a Node.js file-system error (ENOSPC, EACCES, ENAMETOOLONG, ...) into a
 * `"FileSystemError"` {@link StorageError} whose message names the path, the cause in words and
 * what to do; the original error, stripped of secrets, is its `cause`. A StorageError is returned
 * unchanged.
 *
 * @example
 * ```ts
 * import { open } from "node:fs/promises";
 * import { fileSystemError } from "@blobkit/auth/kit";
 *
 * const path = "/no/such/folder/a.csv";
 * const error = await open(path, "w").catch((e: unknown) =>
 *   fileSystemError(e, { operation: "download blob", resource: "blob 'reports/a.csv'", path }),
 * );
 * // Download blob (blob 'reports/a.csv') failed: the file or folder does not exist while opening
 * // '/no/such/folder/a.csv' (ENOENT): check the path, and create the folder first if it is missing.
 * ```
 */
export function fileSystemError(error: unknown, context: FileSystemErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const { cause, advice } = describeFsFailure(error, context.path);
  const sanitized = sanitizedCause(error);
  return new StorageError(
    "FileSystemError",
    `${describeOperation(context)} failed: ${cause}${advice ? `: ${advice}` : ""}.`,
    { operation: context.operation, ...(sanitized ? { cause: sanitized } : {}) },
  );
}

function streamFailure(error: unknown): string {
  if (isFileSystemFailure(error)) return describeFsFailure(error, error.path ?? "").cause;
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message) || "no details";
}

/**
 * The `"SourceError"` {@link StorageError} of a caller's source (a readable stream) that failed
 * while being read; the message quotes the source's own error, which is kept (stripped of
 * secrets) as `cause`. A StorageError is returned unchanged.
 *
 * @example
 * ```ts
 * import { sourceError } from "@blobkit/auth/kit";
 *
 * const error = sourceError(new Error("gzip: unexpected end of file"), {
 *   operation: "upload blob",
 *   resource: "blob 'reports/a.csv.gz'",
 * });
 * error.code; // "SourceError"
 * ```
 */
export function sourceError(error: unknown, context: StreamErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const sanitized = sanitizedCause(error);
  return new StorageError(
    "SourceError",
    `${describeOperation(context)} failed: the source stream failed while being read: ${streamFailure(error)}. Nothing was committed; fix the source and run it again.`,
    { operation: context.operation, ...(sanitized ? { cause: sanitized } : {}) },
  );
}

/**
 * The `"DestinationError"` {@link StorageError} of a caller's destination (a writable stream)
 * that failed while being written; the message quotes the destination's own error, which is kept
 * (stripped of secrets) as `cause`. A StorageError is returned unchanged.
 *
 * @example
 * ```ts
 * import { destinationError } from "@blobkit/auth/kit";
 *
 * const error = destinationError(new Error("socket closed by the browser"), {
 *   operation: "download blob",
 *   resource: "blob 'reports/a.csv'",
 * });
 * error.code; // "DestinationError"
 * ```
 */
export function destinationError(error: unknown, context: StreamErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const sanitized = sanitizedCause(error);
  return new StorageError(
    "DestinationError",
    `${describeOperation(context)} failed: the destination stream failed while being written: ${streamFailure(error)}.`,
    { operation: context.operation, ...(sanitized ? { cause: sanitized } : {}) },
  );
}
