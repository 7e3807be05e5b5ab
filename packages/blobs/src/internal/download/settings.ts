// downloadBlob's destination and options, checked before any request and resolved once.
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { ProgressOptions } from "@blobkit/auth";
import {
  checkBoolean,
  checkInteger,
  checkOptionalString,
  describeValue,
  invalidArgument,
} from "@blobkit/auth/kit";
import type { BlobConditions } from "../../types.js";
import { sdkConditions } from "../conditions.js";

const MiB = 1024 * 1024;

/**
 * downloadBlob's options (`DownloadBlobOptions`, documented there) as this module reads them.
 * Declared apart so that `internal/` never imports a capability file; every field is checked here.
 */
export interface DownloadOptionsInput extends ProgressOptions, BlobConditions {
  range?: { offset: number; count?: number };
  ifNoneMatch?: string;
  concurrency?: number;
  rangeSize?: number;
  maxResumes?: number;
  stallTimeoutMs?: number;
}

/** The defaults of the tuning options (downloadBlob's `DEFAULT_DOWNLOAD_OPTIONS`). */
export interface DownloadDefaults {
  concurrency: number;
  rangeSize: number;
  maxResumes: number;
  stallTimeoutMs: number;
}

/** Where the bytes go, told apart once. */
export type Destination =
  | { kind: "string"; encoding: BufferEncoding }
  | { kind: "bytes" }
  | { kind: "stream" }
  | { kind: "file"; path: string }
  | { kind: "writable"; writable: NodeJS.WritableStream; end: boolean };

/** Everything a download reads from its options, checked. */
export interface DownloadSettings extends DownloadDefaults {
  offset: number;
  count: number | undefined;
  conditions: ReturnType<typeof sdkConditions>;
}

/** Tells the destination kinds apart; anything else is an `InvalidArgument`. */
export function classifyDestination(destination: unknown): Destination {
  if (typeof destination === "object" && destination !== null) {
    const d = destination as Record<string, unknown>;
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
      return { kind: "file", path: d.path };
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
  options: DownloadOptionsInput,
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
      defaults.concurrency,
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
  };
}

/** Checks before any request that a file can be written at `path` (its folder exists). */
export async function checkFilePath(path: string): Promise<void> {
  const folder = dirname(path);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw invalidArgument(
      "destination.path",
      `the folder ${JSON.stringify(folder)} does not exist`,
    );
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw invalidArgument("destination.path", `${JSON.stringify(path)} is a folder`);
  }
}
