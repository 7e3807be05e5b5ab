// downloadBlob's destination and options, checked before any request and resolved once.
import type { Stats } from "node:fs";
import { lstat, mkdir, readlink, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  checkBoolean,
  checkInteger,
  checkOptionalString,
  describeValue,
  invalidArgument,
} from "@blobkit/auth/kit";
import type { DownloadBlobOptions } from "../../DownloadBlobOptions.js";
import { sdkConditions } from "../conditions.js";
import { Budget } from "../transfer/budget.js";

const MiB = 1024 * 1024;

/** The defaults of the tuning options (downloadBlob's `DEFAULT_DOWNLOAD_OPTIONS`). */
export interface DownloadDefaults {
  concurrency: number;
  rangeSize: number;
  maxResumes: number;
  stallTimeoutMs: number;
  minBytesPerSecond: number;
}

/** Where the bytes go, told apart once. */
export type Destination =
  | { kind: "string"; encoding: BufferEncoding }
  | { kind: "bytes" }
  | { kind: "stream" }
  | {
      kind: "file";
      path: string;
      createFolders: boolean;
      resume: boolean;
      durable: boolean;
      mode: number;
    }
  | { kind: "writable"; writable: NodeJS.WritableStream; end: boolean };

/** Everything a download reads from its options, checked. */
export interface DownloadSettings extends DownloadDefaults {
  offset: number;
  count: number | undefined;
  conditions: ReturnType<typeof sdkConditions>;
  verify: boolean;
  budget: Budget | undefined;
}

/** Tells the destination kinds apart; anything else is an `InvalidArgument`. */
export function classifyDestination(destination: unknown): Destination {
  if (typeof destination === "object" && destination !== null) {
    const d = destination as Record<string, unknown>;
    const kinds = ["to", "path", "writable"].filter((key) => d[key] !== undefined);
    if (kinds.length > 1) {
      throw invalidArgument(
        "destination",
        `has ${kinds.join(" and ")}: give exactly one of { to }, { path } or { writable }`,
      );
    }
    if (d.to === "string") {
      const encoding = d.encoding ?? "utf8";
      if (typeof encoding !== "string" || !Buffer.isEncoding(encoding)) {
        throw invalidArgument(
          "destination.encoding",
          `must be a Node.js Buffer encoding such as "utf8"; got ${describeValue(encoding)}`,
        );
      }
      return { kind: "string", encoding };
    }
    if (d.to === "bytes") return { kind: "bytes" };
    if (d.to === "stream") return { kind: "stream" };
    if ("path" in d) {
      if (typeof d.path !== "string" || d.path.length === 0) {
        throw invalidArgument("destination.path", "must be a non-empty string");
      }
      return {
        kind: "file",
        path: d.path,
        createFolders: checkBoolean("destination.createFolders", d.createFolders, false),
        resume: checkBoolean("destination.resume", d.resume, true),
        durable: checkBoolean("destination.durable", d.durable, true),
        mode: checkInteger("destination.mode", d.mode, { min: 0, max: 0o7777 }, 0o666),
      };
    }
    if ("writable" in d) {
      const writable = d.writable as NodeJS.WritableStream | null | undefined;
      if (
        typeof writable !== "object" ||
        writable === null ||
        typeof writable.write !== "function" ||
        typeof writable.on !== "function"
      ) {
        throw invalidArgument("destination.writable", "must be a Node.js Writable stream");
      }
      return { kind: "writable", writable, end: checkBoolean("destination.end", d.end, true) };
    }
  }
  throw invalidArgument(
    "destination",
    'must be { to: "string" }, { to: "bytes" }, { to: "stream" }, { path } or { writable }',
  );
}

/** Checks every option before any request and resolves them, with `defaults` for those left out. */
export function resolveDownloadSettings(
  options: DownloadBlobOptions,
  defaults: DownloadDefaults,
): DownloadSettings {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  let offset = 0;
  let count: number | undefined;
  if (options.range !== undefined) {
    if (typeof options.range !== "object" || options.range === null) {
      throw invalidArgument("range", "must be { offset, count? }");
    }
    const first = checkInteger("range.offset", options.range.offset, {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    });
    if (first === undefined) {
      throw invalidArgument("range.offset", "is required (the first byte, from 0)");
    }
    offset = first;
    count = checkInteger("range.count", options.range.count, {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
    });
  }
  const ifNoneMatch = checkOptionalString("ifNoneMatch", options.ifNoneMatch);
  const budget = options.budget;
  if (budget !== undefined && !(budget instanceof Budget)) {
    throw invalidArgument("budget", "must be a budget made by createTransferBudget()");
  }
  return {
    offset,
    count,
    conditions: sdkConditions({
      ...options,
      ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    }),
    concurrency: checkInteger(
      "concurrency",
      options.concurrency,
      { min: 1, max: 64 },
      budget ? Math.min(64, budget.concurrency) : defaults.concurrency,
    ),
    rangeSize: checkInteger(
      "rangeSize",
      options.rangeSize,
      { min: 1, max: 4000 * MiB, unit: "bytes" },
      defaults.rangeSize,
    ),
    maxResumes: checkInteger(
      "maxResumes",
      options.maxResumes,
      { min: 0, max: 100 },
      defaults.maxResumes,
    ),
    stallTimeoutMs: checkInteger(
      "stallTimeoutMs",
      options.stallTimeoutMs,
      { min: 0, max: 3_600_000, unit: "ms" },
      defaults.stallTimeoutMs,
    ),
    minBytesPerSecond: checkInteger(
      "minBytesPerSecond",
      options.minBytesPerSecond,
      { min: 0, max: 1_000_000_000, unit: "bytes per second" },
      defaults.minBytesPerSecond,
    ),
    verify: checkBoolean("verify", options.verify, true),
    budget,
  };
}

/**
 * Checks before any request that a file can be written at `path` and returns the path to write:
 * a symbolic link is followed (its target is replaced, as `cp` does), a missing folder is created
 * when asked, a folder in the way is refused.
 */
export async function resolveFilePath(
  path: string,
  createFolders: boolean,
): Promise<{ target: string; existingMode: number | undefined }> {
  let target = resolve(path);
  let existing: Stats | undefined;
  for (let hops = 0; hops < 40; hops++) {
    // Anything but "not there" (a name too long, no permission) fails here, before any request.
    existing = await lstat(target).catch(missingOnly);
    if (!existing?.isSymbolicLink()) break;
    target = resolve(dirname(target), await readlink(target));
  }
  if (existing?.isDirectory()) {
    throw invalidArgument("destination.path", `${JSON.stringify(path)} is a folder`);
  }
  if (existing && !existing.isFile()) {
    // The download is renamed into place: that would replace a device (/dev/null), a named pipe
    // or a socket with a regular file instead of writing into it.
    throw invalidArgument(
      "destination.path",
      `${JSON.stringify(path)} is not a regular file (a device, pipe or socket); to write into it, pass { writable: createWriteStream(path) }`,
    );
  }
  // An existing file's folder exists; only a new file's folder needs looking at (one request
  // fewer per file for a folder of many small downloads).
  if (!existing) {
    const folder = dirname(target);
    const info = await stat(folder).catch(missingOnly);
    if (!info && createFolders) {
      await mkdir(folder, { recursive: true });
    } else if (!info?.isDirectory()) {
      throw invalidArgument(
        "destination.path",
        `the folder ${JSON.stringify(folder)} does not exist${createFolders ? " and is not a folder" : "; pass createFolders: true to create it"}`,
      );
    }
  }
  return { target, existingMode: existing ? existing.mode & 0o7777 : undefined };
}

/** `undefined` for a path that does not exist (or a dangling link); any other error is thrown. */
function missingOnly(error: unknown): undefined {
  if ((error as { code?: unknown }).code === "ENOENT") return undefined;
  throw error;
}
