// Lists the blobs under a prefix for a transfer: size, last-modified time, stored MD5 and the
// `mtime` metadata of each, filtered by the same patterns as the local side so that a sync never
// deletes what the patterns leave out. The first level of virtual directories is listed in
// parallel, each flat (5,000 blobs a request): with the service's own latency per page, that is
// what makes listing a large tree fast; a flat namespace costs one extra request.
import type { BlobItem, ContainerClient } from "@azure/storage-blob";
import { raceAbort } from "@blobkit/auth/kit";
import { listBlobs, listBlobsByHierarchy } from "@blobkit/blobs";
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
  const add = (item: BlobItem) => {
    if (item.name.endsWith("/")) return;
    const relative = item.name.slice(prefix.length);
    if (!filter.file(relative)) return;
    const mtimeMs = parseMtime(metadataValue(item.metadata, MTIME_METADATA));
    const md5 = item.properties.contentMD5;
    entries.set(item.name, {
      name: item.name,
      size: item.properties.contentLength ?? 0,
      lastModified: item.properties.lastModified.getTime(),
      ...(mtimeMs !== undefined ? { mtimeMs } : {}),
      ...(md5 && md5.length > 0 ? { contentMD5: md5 } : {}),
    });
  };
  const folders: string[] = [];
  const top = listBlobsByHierarchy(container, {
    ...(prefix ? { prefix } : {}),
    include: ["metadata"],
    ...(signal ? { signal } : {}),
  });
  for await (const item of top) {
    if (item.kind === "prefix") {
      if (filter.folder(item.name.slice(prefix.length).replace(/\/$/, ""))) folders.push(item.name);
    } else add(item);
  }
  const listFolder = async () => {
    for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
      const listing = listBlobs(container, {
        prefix: folder,
        include: ["metadata"],
        ...(signal ? { signal } : {}),
      });
      for await (const item of listing) add(item);
    }
  };
  await raceAbort(
    Promise.all(Array.from({ length: Math.min(PARALLEL_LISTINGS, folders.length) }, listFolder)),
    signal,
  );
  return entries;
}

/** Virtual directories listed at once. */
const PARALLEL_LISTINGS = 8;

/** A metadata value by name, ignoring case (Azure compares names that way). */
function metadataValue(
  metadata: Record<string, string> | undefined,
  name: string,
): string | undefined {
  if (!metadata) return undefined;
  const key = Object.keys(metadata).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : metadata[key];
}
