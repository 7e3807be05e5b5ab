// downloadBlob's destination and options, checked before any request and resolved once. No
// Node.js module here: the browser's downloadBlob checks its options with the same code.
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
  | { kind: "web-stream" }
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
    if (d.to === "web-stream") return { kind: "web-stream" };
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
    'must be { to: "string" }, { to: "bytes" }, { to: "stream" }, { to: "web-stream" }, { path } or { writable }',
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
