// Lists the blobs of a transfer one virtual directory at a time: size, last-modified time, stored
// MD5 and the `mtime` metadata of each, filtered by the same patterns as the local side so that a
// sync never deletes what the patterns leave out. One level at a time keeps a transfer's memory
// bounded by its largest folder, not by the tree, and lets folders be listed in parallel.
import type { ContainerClient } from "@azure/storage-blob";
import type { RemoteEntry } from "./compare.js";
import type { Sink } from "./engine.js";
import type { PathFilter } from "./filters.js";
import { listPage } from "./listPage.js";
import { blobItem } from "./result.js";

/** One virtual directory: its blobs and its subdirectories, by name within the directory. */
export interface RemoteLevel {
  /** Blobs directly in the directory, by the rest of their name after the directory's prefix. */
  files: Map<string, RemoteEntry>;
  /** Subdirectories, by name (without the trailing "/"). */
  folders: Set<string>;
  /**
   * Subdirectories whose every blob one listing already returned, by name: their levels need no
   * request of their own (pass each to {@link listRemoteLevel} as `known`).
   */
  known: Map<string, KnownSubtree>;
}

/** Every blob under a virtual directory (folder markers included, nothing filtered), in name order. */
export type KnownSubtree = RemoteEntry[];

/** A directory with nothing in it (one the other side's listing says does not exist). */
export const emptyLevel = (): RemoteLevel => ({
  files: new Map(),
  folders: new Set(),
  known: new Map(),
});

/**
 * Blobs of the flat listing that first tries to read a directory's whole subtree in one request.
 * One request lists up to 5,000 blobs; a smaller page bounds what is read in vain when the subtree
 * is larger (a tenth of a 10,000-blob folder's listing), and still reads a whole sparse subtree
 * (a date-partitioned dataset's day, say) in one request instead of one per virtual directory.
 */
export const SUBTREE_PAGE = 1000;

/**
 * Lists the virtual directory `level` (a prefix ending in "/", or "" for the container's root) of
 * a transfer rooted at `root` (its prefix). Folder markers (names ending in "/") are left out;
 * `filter` sees paths relative to `root`.
 *
 * With `known` (the subtree an ancestor's listing returned whole), no request is made. Otherwise
 * one flat listing page of {@link SUBTREE_PAGE} blobs comes first: when it holds the whole
 * subtree, every level below is known from it; when it does not, the subdirectories it holds
 * whole are known, and the directory itself is listed by hierarchy (one request per 5,000 blobs
 * and subdirectories). Either way, what is held is bounded by a page per directory being read.
 * (`pageSize` is for tests: a small page takes the partial-page path with a few blobs.)
 */
export async function listRemoteLevel(
  container: ContainerClient,
  root: string,
  level: string,
  filter: PathFilter,
  signal: AbortSignal | undefined,
  known?: KnownSubtree,
  pageSize = SUBTREE_PAGE,
): Promise<RemoteLevel> {
  if (known !== undefined) return levelOf(known, root, level, filter);
  const { entries, next } = await listPage(container, {
    prefix: level,
    maxResults: pageSize,
    signal,
  });
  if (next === undefined) return levelOf(entries, root, level, filter);
  // The page ends inside the subtree of its last subdirectory (or among the directory's own
  // blobs): the subdirectories before that one are whole in it.
  const last = entries.at(-1)?.name.slice(level.length) ?? "";
  const cut = last.indexOf("/");
  const partial = cut < 0 ? undefined : last.slice(0, cut);
  const { known: whole } = levelOf(entries, root, level, filter);
  if (partial !== undefined) whole.delete(partial);

  const result = emptyLevel();
  let marker: string | undefined;
  do {
    const page = await listPage(container, { prefix: level, delimiter: "/", marker, signal });
    for (const directory of page.prefixes) {
      const name = directory.slice(level.length, -1);
      if (filter.folder(`${level.slice(root.length)}${name}`)) {
        result.folders.add(name);
        const subtree = whole.get(name);
        if (subtree !== undefined) result.known.set(name, subtree);
      }
    }
    for (const entry of page.entries) {
      const key = entry.name.slice(level.length);
      if (key !== "" && filter.file(entry.name.slice(root.length))) result.files.set(key, entry);
    }
    marker = page.next;
  } while (marker !== undefined);
  return result;
}

/**
 * The level `level` of a subtree known whole: its blobs, its subdirectories, and each of those's
 * own subtree (the same result, filter included, as listing the level by hierarchy).
 */
function levelOf(
  entries: KnownSubtree,
  root: string,
  level: string,
  filter: PathFilter,
): RemoteLevel {
  const result = emptyLevel();
  const excluded = new Set<string>();
  for (const entry of entries) {
    const key = entry.name.slice(level.length);
    const cut = key.indexOf("/");
    if (cut < 0) {
      if (key !== "" && filter.file(entry.name.slice(root.length))) result.files.set(key, entry);
      continue;
    }
    const name = key.slice(0, cut);
    let subtree = result.known.get(name);
    if (subtree === undefined) {
      if (excluded.has(name)) continue;
      if (!filter.folder(`${level.slice(root.length)}${name}`)) {
        excluded.add(name);
        continue;
      }
      subtree = [];
      result.folders.add(name);
      result.known.set(name, subtree);
    }
    subtree.push(entry);
  }
  return result;
}

/**
 * Every blob below the virtual directory `level` (folder markers left out), filtered: from
 * `known` when a listing already returned them all, else listed.
 */
export async function* remoteEntriesUnder(
  container: ContainerClient,
  root: string,
  level: string,
  filter: PathFilter,
  signal: AbortSignal | undefined,
  known?: KnownSubtree,
): AsyncGenerator<RemoteEntry> {
  const wanted = (name: string) => !name.endsWith("/") && filter.file(name.slice(root.length));
  if (known !== undefined) {
    for (const entry of known) if (wanted(entry.name)) yield entry;
    return;
  }
  let marker: string | undefined;
  do {
    const page = await listPage(container, { prefix: level, marker, signal });
    for (const entry of page.entries) if (wanted(entry.name)) yield entry;
    marker = page.next;
  } while (marker !== undefined);
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
      unmatched.known.get(gone),
    ))
      sink.extraneous(blobItem(entry));
  }
}
