// Decides, per file, whether a transfer sends it: by size and modification time (the default), by
// MD5, always, or only when absent. The modification time travels with the blob as the metadata
// `mtime` (RFC 3339, the name and format rclone uses), so a sync compares the file with the
// version it uploaded, not with the upload's own time.
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { CompareMode, OverwritePolicy } from "../types.js";

/** Metadata name of a file's modification time, as rclone names it. */
export const MTIME_METADATA = "mtime";

/** What a listing tells about a blob. */
export interface RemoteEntry {
  name: string;
  size: number;
  lastModified: number;
  /** The source file's modification time, from the `mtime` metadata, in ms. */
  mtimeMs?: number;
  contentMD5?: Uint8Array;
}

/**
 * RFC 3339 with the nanoseconds the file system keeps, as rclone writes it: rclone compares
 * modification times to the nanosecond, so anything shorter would make it re-check every file.
 */
export function formatMtime(mtimeNs: bigint): string {
  const seconds = mtimeNs / 1_000_000_000n;
  const nanos = mtimeNs % 1_000_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19); // ...T12:00:00
  return `${iso}.${String(nanos).padStart(9, "0")}Z`;
}

/** Parses `formatMtime`'s output (and rclone's RFC 3339 with nanoseconds); undefined if invalid. */
export function parseMtime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(value);
  if (!match) return undefined;
  const base = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(base)) return undefined;
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return base + fraction;
}

/** Modification times this close are the same (JavaScript dates have millisecond precision). */
const TIME_TOLERANCE_MS = 1;

/** Whether a local file and a blob are the same version, by size and modification time. */
export function sameByTime(
  local: { size: number; mtimeMs: number },
  remote: RemoteEntry,
  direction: "upload" | "download",
): boolean {
  if (local.size !== remote.size) return false;
  if (remote.mtimeMs !== undefined) {
    return Math.abs(local.mtimeMs - remote.mtimeMs) < TIME_TOLERANCE_MS;
  }
  // No mtime metadata (written by another tool): a blob written after the file changed holds it
  // (upload); a file written after the blob changed holds it (download), as AzCopy sync decides.
  return direction === "upload"
    ? remote.lastModified >= local.mtimeMs
    : Math.abs(local.mtimeMs - remote.lastModified) < TIME_TOLERANCE_MS;
}

/** MD5 of a local file, read in 1 MiB chunks. */
export async function md5OfFile(path: string, signal?: AbortSignal): Promise<Buffer> {
  const md5 = createHash("md5");
  const handle = await open(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      md5.update(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return md5.digest();
}

/** The decision for one file whose destination exists. */
export async function needsTransfer(
  overwrite: OverwritePolicy,
  compare: CompareMode,
  local: { size: number; mtimeMs: number; path: string },
  remote: RemoteEntry,
  direction: "upload" | "download",
  signal?: AbortSignal,
): Promise<"transfer" | "unchanged" | "exists"> {
  if (overwrite === "never") return "exists";
  if (overwrite === "always") return "transfer";
  if (compare === "md5") {
    if (local.size !== remote.size || !remote.contentMD5) return "transfer";
    const md5 = await md5OfFile(local.path, signal);
    return Buffer.compare(md5, Buffer.from(remote.contentMD5)) === 0 ? "unchanged" : "transfer";
  }
  return sameByTime(local, remote, direction) ? "unchanged" : "transfer";
}
