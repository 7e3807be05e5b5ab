// Lists the blobs under a prefix for a transfer: size, last-modified time, stored MD5 and the
// `mtime` metadata of each, in one flat listing (5,000 blobs a request), filtered by the same
// patterns as the local side so that a sync never deletes what the patterns leave out.
import type { ContainerClient } from "@azure/storage-blob";
import { listBlobs } from "@blobkit/blobs";
import { MTIME_METADATA, parseMtime, type RemoteEntry } from "./compare.js";
import type { PathFilter } from "./filters.js";

/** The blobs under `prefix` (folder markers, names ending in "/", left out), by name. */
export async function listRemote(
  container: ContainerClient,
  prefix: string,
  filter: PathFilter,
  signal: AbortSignal | undefined,
): Promise<Map<string, RemoteEntry>> {
  const entries = new Map<string, RemoteEntry>();
  const listing = listBlobs(container, {
    ...(prefix ? { prefix } : {}),
    include: ["metadata"],
    ...(signal ? { signal } : {}),
  });
  for await (const item of listing) {
    if (item.name.endsWith("/")) continue;
    const relative = item.name.slice(prefix.length);
    if (!filter.file(relative)) continue;
    const mtimeMs = parseMtime(metadataValue(item.metadata, MTIME_METADATA));
    const md5 = item.properties.contentMD5;
    entries.set(item.name, {
      name: item.name,
      size: item.properties.contentLength ?? 0,
      lastModified: item.properties.lastModified.getTime(),
      ...(mtimeMs !== undefined ? { mtimeMs } : {}),
      ...(md5 && md5.length > 0 ? { contentMD5: md5 } : {}),
    });
  }
  return entries;
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
