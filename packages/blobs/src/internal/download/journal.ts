// The partial file and journal of a download to a file: their names (beside the file, always the
// same for one destination, short enough for any name that fits the file system), what the
// journal records (the blob version and the byte ranges already written), and the check that no
// other download is writing the same destination.
import { createHash } from "node:crypto";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { StorageError } from "@blobkit/auth";
import { heldByOtherProcess } from "@blobkit/auth/kit";

/** Longest file name (in UTF-8 bytes) common file systems accept. */
const NAME_MAX = 255;

/** The partial file and the journal of a download to `target`. */
export interface Sidecars {
  partial: string;
  journal: string;
  /** The journal's temporary name while it is rewritten (left behind by a kill at that moment). */
  journalTemp: string;
}

/** Suffix of the journal's temporary name while it is rewritten (see {@link writeJournal}). */
const JOURNAL_TEMP = ".tmp";

/**
 * `.<name>.blobkit-partial` and `.<name>.blobkit-journal` beside the file, or, when those (or the
 * journal's temporary name) would not fit in a file name, `.blobkit-<hash of the name>.partial`
 * and `.journal`, which fit beside any name.
 */
export function sidecarsOf(target: string): Sidecars {
  const folder = dirname(target);
  const name = basename(target);
  if (Buffer.byteLength(`.${name}.blobkit-journal${JOURNAL_TEMP}`) <= NAME_MAX) {
    const journal = join(folder, `.${name}.blobkit-journal`);
    return {
      partial: join(folder, `.${name}.blobkit-partial`),
      journal,
      journalTemp: `${journal}${JOURNAL_TEMP}`,
    };
  }
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 16);
  const journal = join(folder, `.blobkit-${hash}.journal`);
  return {
    partial: join(folder, `.blobkit-${hash}.partial`),
    journal,
    journalTemp: `${journal}${JOURNAL_TEMP}`,
  };
}

/** What the journal says: which version of which blob, and which bytes are in the partial file. */
export interface JournalState {
  version: 1;
  /** The blob's URL without its query (no SAS), to tell blobs apart. */
  blob: string;
  etag: string;
  blobSize: number;
  /** The downloaded range: `[start, end)` of the blob. */
  start: number;
  end: number;
  /** Ranges of the blob written to the partial file, `[start, end)`, merged and in order. */
  done: Array<[number, number]>;
  /** Who writes it: a live process on this host holds the destination. */
  pid: number;
  host: string;
  updatedAt: string;
}

/** Reads a journal; anything missing or malformed is no journal. */
export async function readJournal(path: string): Promise<JournalState | undefined> {
  try {
    const state = JSON.parse(await readFile(path, "utf8")) as Partial<JournalState>;
    if (
      state.version !== 1 ||
      typeof state.blob !== "string" ||
      typeof state.etag !== "string" ||
      !Array.isArray(state.done)
    ) {
      return undefined;
    }
    return state as JournalState;
  } catch {
    return undefined;
  }
}

/** Writes the journal whole under a temporary name, then renames it: never half a journal. */
export async function writeJournal(path: string, state: JournalState): Promise<void> {
  const temp = `${path}${JOURNAL_TEMP}`;
  try {
    await writeFile(temp, JSON.stringify({ ...state, updatedAt: new Date().toISOString() }));
    await rename(temp, path);
  } catch (error) {
    // A full disk fails the write after creating the file: leave nothing behind.
    await unlink(temp).catch(() => {});
    throw error;
  }
}

export async function removeQuietly(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((path) => unlink(path).catch(() => {})));
}

/** Adds `[start, end)` to merged, ordered ranges. */
export function addRange(done: Array<[number, number]>, start: number, end: number): void {
  done.push([start, end]);
  done.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of done) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  done.splice(0, done.length, ...merged);
}

/** Destinations being written by this process. */
const active = new Set<string>();

/**
 * Claims `target` for this download, or fails with `"Conflict"` while another download writes it
 * (in this process, or in a live process on this host named by the journal). Returns the release.
 */
export function claim(
  target: string,
  journal: JournalState | undefined,
  operation: string,
): () => void {
  const other =
    journal !== undefined &&
    heldByOtherProcess({
      pid: journal.pid,
      host: journal.host,
      writtenAt: Date.parse(journal.updatedAt),
    });
  if (active.has(target) || other) {
    throw new StorageError(
      "Conflict",
      `${operation.charAt(0).toUpperCase()}${operation.slice(1)} failed: another download is writing ${JSON.stringify(target)}${other ? ` (process ${journal?.pid})` : ""}. Wait for it to finish, or download to another path.`,
      { operation },
    );
  }
  active.add(target);
  return () => active.delete(target);
}

/**
 * Where a download to `target` of the blob at `url` should ask first: the first byte from
 * `offset` on that its journal does not list as written, or `undefined` without a journal of
 * that blob. (Whether the journal is still valid, its ETag, is checked once the blob answers.)
 */
export async function resumePoint(
  target: string,
  url: string,
  offset: number,
): Promise<number | undefined> {
  const journal = await readJournal(sidecarsOf(target).journal);
  if (!journal || journal.blob !== (url.split("?")[0] ?? "")) return undefined;
  let at = offset;
  for (const [start, end] of journal.done) if (start <= at && at < end) at = end;
  return at === offset ? undefined : at;
}
