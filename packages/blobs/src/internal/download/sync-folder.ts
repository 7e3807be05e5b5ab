// Flushing a folder's entries after a rename, shared by downloads that finish together. Each
// caller must wait for a flush that started after its rename; a flush already running may have
// started before it, so callers arriving meanwhile wait for the next one, which they all share
// (a group commit). A folder of many small downloads then costs a few flushes instead of one per
// file (the same guarantee: each download returns after its rename is on disk).
import { open } from "node:fs/promises";

interface FolderFlush {
  /** The flush running now, if any. */
  current?: Promise<void> | undefined;
  /** The flush that starts once `current` ends, shared by everyone who asked meanwhile. */
  next?: Promise<void> | undefined;
}

/**
 * A folder flusher: `flush(folder)` (which never rejects) run as a group commit per folder.
 * Exported with the flush as a parameter for its test; downloads use {@link syncFolder}.
 */
export function groupCommit(
  flush: (folder: string) => Promise<void>,
): (folder: string) => Promise<void> {
  const flushes = new Map<string, FolderFlush>();
  const start = (folder: string, state: FolderFlush): Promise<void> => {
    const running: Promise<void> = flush(folder).finally(() => {
      if (state.current !== running) return;
      state.current = undefined;
      if (state.next === undefined) flushes.delete(folder);
    });
    state.current = running;
    return running;
  };
  return (folder) => {
    let state = flushes.get(folder);
    if (state === undefined) {
      state = {};
      flushes.set(folder, state);
    }
    const flushing = state;
    if (flushing.current === undefined) return start(folder, flushing);
    flushing.next ??= flushing.current.then(() => {
      flushing.next = undefined;
      return start(folder, flushing);
    });
    return flushing.next;
  };
}

/** Resolves once a flush of `folder` that started after this call has ended. Never rejects. */
export const syncFolder = groupCommit(flushFolder);

/** One flush, where the platform can open a folder for that; errors are not the caller's loss. */
async function flushFolder(folder: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(folder, "r").catch(() => undefined);
  await handle?.sync().catch(() => {});
  await handle?.close().catch(() => {});
}
