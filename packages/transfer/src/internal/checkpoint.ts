// A folder transfer's checkpoint file (the `checkpoint` option): what earlier runs of the same
// transfer moved, so that a run after a restart reports the whole transfer (files and bytes done
// and total) instead of starting its counts from zero. It is a JSON Lines file: a header naming
// the transfer, a line per run, and a line per file whose transfer started, appended as they
// start (flushed every fraction of a second). The next run counts a file as moved by an earlier
// run when a line names it and it is found unchanged. A kill loses at most the last lines: those
// files are then reported as unchanged in the next run. The checkpoint never decides what moves (the comparison of both
// sides does), so a lost, stale or edited line cannot make a file be skipped or sent twice.
import { type FileHandle, open, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { StorageError } from "@blobkit/auth";
import { fileSystemError, heldByOtherProcess, invalidArgument } from "@blobkit/auth/kit";

/** The header's `format`: a file without it is not a checkpoint, and is never written to. */
const FORMAT = "blobkit-transfer-checkpoint";
const VERSION = 1;
/** Lines wait at most this long before they are written... */
const FLUSH_AFTER_MS = 200;
/** ...or until this many bytes of them wait. */
const FLUSH_AT_BYTES = 64 * 1024;

/** What a checkpoint belongs to: the operation, both ends, and the files it selects. */
export interface CheckpointIdentity {
  operation: string;
  /** A local folder's absolute path, or a container's URL (without its query) and prefix. */
  source: string;
  destination: string;
  include: readonly string[];
  exclude: readonly string[];
}

interface Header {
  format: typeof FORMAT;
  version: number;
  transfer: CheckpointIdentity;
  created: string;
}

interface RunLine {
  run: number;
  pid: number;
  host: string;
  started: string;
}

/** Checkpoints in use by this process. */
const claimed = new Set<string>();

/** What a message says of where an operation ran. */
type Context = { operation: string; resource?: string };

/**
 * A checkpoint, open for this run: what earlier runs moved (to tell from what this run finds
 * unchanged), and the lines of this run's files, appended as they start.
 */
export class Checkpoint {
  /** How many runs of this transfer came before this one. */
  readonly earlierRuns: number;
  readonly #path: string;
  readonly #earlier: Map<string, number>;
  readonly #handle: FileHandle;
  readonly #context: Context;
  readonly #onError: (error: StorageError) => void;
  #pending: string[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #failed = false;

  private constructor(
    path: string,
    handle: FileHandle,
    earlier: Map<string, number>,
    earlierRuns: number,
    context: Context,
    onError: (error: StorageError) => void,
  ) {
    this.#path = path;
    this.#handle = handle;
    this.#earlier = earlier;
    this.earlierRuns = earlierRuns;
    this.#context = context;
    this.#onError = onError;
  }

  /**
   * Opens the checkpoint at `path` for a run of the transfer `identity` names: reads what earlier
   * runs recorded, or creates the file. Fails before any request when the file is not a
   * checkpoint, belongs to another transfer, or is in use by a live process; the file is then
   * left as it was. `onError` hears of a line that could not be written (a full disk).
   */
  static async open(
    path: string,
    identity: CheckpointIdentity,
    context: Context,
    onError: (error: StorageError) => void,
  ): Promise<Checkpoint> {
    const target = resolve(path);
    if (claimed.has(target)) throw inUse(path, context, undefined);
    claimed.add(target);
    try {
      return await Checkpoint.#open(target, path, identity, context, onError);
    } catch (error) {
      claimed.delete(target);
      throw error;
    }
  }

  static async #open(
    target: string,
    path: string,
    identity: CheckpointIdentity,
    context: Context,
    onError: (error: StorageError) => void,
  ): Promise<Checkpoint> {
    const local = (error: unknown) => fileSystemError(error, { ...context, path: target });
    /** `undefined` for a file that does not exist; any other error is thrown. */
    const missingOnly = (error: unknown): undefined => {
      if ((error as { code?: unknown }).code === "ENOENT") return undefined;
      throw local(error);
    };
    const info = await stat(target).catch(missingOnly);
    // A folder, a device or a named pipe: reading one could fail, block or never end.
    if (info && !info.isFile()) {
      throw invalidArgument(
        "checkpoint",
        `${JSON.stringify(path)} is not a regular file: pass the path of a file (it is created if missing)`,
      );
    }
    const existing = await readFile(target).catch(missingOnly);
    const earlier = new Map<string, number>();
    let runs = 0;
    // The bytes up to the last complete line: a kill may have left half a line after them.
    const complete = existing ? existing.lastIndexOf(0x0a) + 1 : 0;
    if (existing && existing.length > 0) {
      const lines = existing.subarray(0, complete).toString("utf8").split("\n");
      checkHeader(parse(lines[0] ?? ""), path, identity);
      let last: RunLine | undefined;
      for (let i = 1; i < lines.length; i++) {
        const line = parse(lines[i] ?? "");
        if (Array.isArray(line)) {
          const [name, size] = line as unknown[];
          if (typeof name === "string" && typeof size === "number") earlier.set(name, size);
        } else if (isRunLine(line)) {
          runs++;
          last = line;
        }
      }
      // A checkpoint is appended to as files start: its modification time is its last write.
      if (
        last &&
        heldByOtherProcess({ pid: last.pid, host: last.host, writtenAt: info?.mtimeMs ?? 0 })
      ) {
        throw inUse(path, context, last.pid);
      }
    }
    const handle = await open(target, "a").catch((error: unknown) => {
      throw local(error);
    });
    try {
      if (existing && complete < existing.length) await handle.truncate(complete);
      const header: Header = {
        format: FORMAT,
        version: VERSION,
        transfer: identity,
        created: new Date().toISOString(),
      };
      const run: RunLine = {
        run: runs + 1,
        pid: process.pid,
        host: hostname(),
        started: new Date().toISOString(),
      };
      const start = `${complete === 0 ? `${JSON.stringify(header)}\n` : ""}${JSON.stringify(run)}\n`;
      await writeAll(handle, Buffer.from(start));
    } catch (error) {
      await handle.close().catch(() => {});
      throw local(error);
    }
    return new Checkpoint(target, handle, earlier, runs, context, onError);
  }

  /** Whether an earlier run started to move `name` at this size. */
  movedBefore(name: string, size: number): boolean {
    return this.#earlier.get(name) === size;
  }

  /** Records a file whose transfer starts. */
  record(name: string, size: number): void {
    if (this.#failed) return;
    const line = `${JSON.stringify([name, size])}\n`;
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    if (this.#pendingBytes >= FLUSH_AT_BYTES) void this.#flush();
    else this.#timer ??= setTimeout(() => void this.#flush(), FLUSH_AFTER_MS).unref();
  }

  /**
   * Writes what waits and closes the file; a transfer that is `complete` (every file moved or
   * unchanged, nothing failed) has no use for its checkpoint, which is then deleted.
   */
  async close(complete: boolean): Promise<void> {
    await this.#flush();
    await this.#handle.close().catch(() => {});
    claimed.delete(this.#path);
    if (complete) await unlink(this.#path).catch(() => {});
  }

  #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return this.#writing;
    const chunk = Buffer.from(this.#pending.join(""));
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#writing = this.#writing
      .then(() => (this.#failed ? undefined : writeAll(this.#handle, chunk)))
      .catch((error: unknown) => {
        if (this.#failed) return;
        this.#failed = true;
        this.#onError(fileSystemError(error, { ...this.#context, path: this.#path }));
      });
    return this.#writing;
  }
}

/**
 * Fails when the checkpoint would sit inside `folder`, the local side of the transfer: an upload
 * would send it, and a download that deletes extraneous files would delete it.
 */
export function checkOutside(checkpoint: string, folder: string): void {
  const below = relative(resolve(folder), resolve(checkpoint));
  const outside = below === ".." || below.startsWith(`..${sep}`) || isAbsolute(below);
  if (!outside) {
    throw invalidArgument(
      "checkpoint",
      `${JSON.stringify(checkpoint)} is inside the folder being transferred (${JSON.stringify(folder)}): put the checkpoint outside it`,
    );
  }
}

/** A URL without its query (a SAS is a secret: it never goes into a checkpoint). */
export function withoutQuery(url: string): string {
  return url.split("?")[0] ?? "";
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

function isRunLine(value: unknown): value is RunLine {
  const v = value as Partial<RunLine> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.run === "number" &&
    typeof v.pid === "number" &&
    typeof v.host === "string"
  );
}

/** Fails unless `header` is a checkpoint's, of this version and this transfer. */
function checkHeader(header: unknown, path: string, identity: CheckpointIdentity): void {
  const h = header as Partial<Header> | null;
  if (typeof h !== "object" || h === null || h.format !== FORMAT) {
    throw invalidArgument(
      "checkpoint",
      `${JSON.stringify(path)} is not a BlobKit transfer checkpoint, and was left as it is: pass the path of a new file, or of a checkpoint an earlier run of this transfer left`,
    );
  }
  if (h.version !== VERSION) {
    throw invalidArgument(
      "checkpoint",
      `${JSON.stringify(path)} is a checkpoint of version ${String(h.version)}, which this BlobKit does not read: finish that transfer with the BlobKit that started it, or delete the checkpoint to start afresh`,
    );
  }
  if (JSON.stringify(h.transfer) !== JSON.stringify(identity)) {
    const t = h.transfer;
    throw invalidArgument(
      "checkpoint",
      `${JSON.stringify(path)} belongs to another transfer (${t ? `${t.operation} from ${t.source} to ${t.destination}` : "unknown"}), and was left as it is: pass another path, or delete it to start this transfer afresh`,
    );
  }
}

function inUse(path: string, context: Context, pid: number | undefined): StorageError {
  const operation = context.operation;
  return new StorageError(
    "Conflict",
    `${operation.charAt(0).toUpperCase()}${operation.slice(1)} failed: the checkpoint ${JSON.stringify(path)} is in use by another transfer${pid === undefined ? " in this process" : ` (process ${pid})`}. Wait for it to finish, or pass another checkpoint.`,
    { operation },
  );
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
  }
}
