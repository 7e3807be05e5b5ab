// Lists the blobs of a transfer one virtual directory at a time: size, last-modified time, stored
// MD5 and the `mtime` metadata of each, filtered by the same patterns as the local side so that a
// sync never deletes what the patterns leave out. One level at a time keeps a transfer's memory
// bounded by its largest folder, not by the tree, and lets folders be listed in parallel.
import type { BlobItem, ContainerClient } from "@azure/storage-blob";
import { listBlobs, listBlobsByHierarchy } from "@blobkit/blobs";
import { MTIME_METADATA, parseMtime, type RemoteEntry } from "./compare.js";
import type { Sink } from "./engine.js";
import type { PathFilter } from "./filters.js";
import { blobItem } from "./result.js";

/** One virtual directory: its blobs and its subdirectories, by name within the directory. */
export interface RemoteLevel {
  /** Blobs directly in the directory, by the rest of their name after the directory's prefix. */
  files: Map<string, RemoteEntry>;
  /** Subdirectories, by name (without the trailing "/"). */
  folders: Set<string>;
}

/**
 * Lists the virtual directory `level` (a prefix ending in "/", or "" for the container's root) of
 * a transfer rooted at `root` (its prefix). Folder markers (names ending in "/") are left out;
 * `filter` sees paths relative to `root`.
 */
export async function listRemoteLevel(
  container: ContainerClient,
  root: string,
  level: string,
  filter: PathFilter,
  signal: AbortSignal | undefined,
): Promise<RemoteLevel> {
  const result: RemoteLevel = { files: new Map(), folders: new Set() };
  const listing = listBlobsByHierarchy(container, {
    ...(level ? { prefix: level } : {}),
    include: ["metadata"],
    ...(signal ? { signal } : {}),
  });
  for await (const item of listing) {
    const key = item.name.slice(level.length);
    if (item.kind === "prefix") {
      const name = key.slice(0, -1);
      if (filter.folder(`${level.slice(root.length)}${name}`)) result.folders.add(name);
    } else if (key !== "" && filter.file(item.name.slice(root.length))) {
      result.files.set(key, remoteEntry(item));
    }
  }
  return result;
}

/** Every blob below the virtual directory `level` (folder markers left out), filtered. */
export async function* remoteEntriesUnder(
  container: ContainerClient,
  root: string,
  level: string,
  filter: PathFilter,
  signal: AbortSignal | undefined,
): AsyncGenerator<RemoteEntry> {
  const listing = listBlobs(container, {
    prefix: level,
    include: ["metadata"],
    ...(signal ? { signal } : {}),
  });
  for await (const item of listing) {
    if (!item.name.endsWith("/") && filter.file(item.name.slice(root.length))) {
      yield remoteEntry(item);
    }
  }
}

/**
 * Reports to a sync what the source no longer has in the directory `level` of the destination:
 * the blobs of `unmatched` left in it, and every blob under the subdirectories left in it.
 */
export async function reportExtraneousBlobs(
  container: ContainerClient,
  root: string,
  level: string,
  unmatched: RemoteLevel,
  filter: PathFilter,
  sink: Sink,
): Promise<void> {
  for (const entry of unmatched.files.values()) sink.extraneous(blobItem(entry));
  for (const gone of unmatched.folders) {
    for await (const entry of remoteEntriesUnder(
      container,
      root,
      `${level}${gone}/`,
      filter,
      sink.signal,
    ))
      sink.extraneous(blobItem(entry));
  }
}

function remoteEntry(item: BlobItem): RemoteEntry {
  const mtimeMs = parseMtime(metadataValue(item.metadata, MTIME_METADATA));
  const md5 = item.properties.contentMD5;
  return {
    name: item.name,
    size: item.properties.contentLength ?? 0,
    lastModified: item.properties.lastModified.getTime(),
    ...(mtimeMs !== undefined ? { mtimeMs } : {}),
    ...(md5 && md5.length > 0 ? { contentMD5: md5 } : {}),
  };
}

/** A metadata value by name, ignoring case (Azure compares names that way). */
function metadataValue(
  metadata: Record<string, string> | undefined,
  name: string,
): string | undefined {
  if (!metadata) return undefined;
  const key = Object.keys(metadata).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : metadata[key];
}
