// downloadDirectory(): the blobs under a prefix to a local folder, skipping what is unchanged,
// optionally deleting local files the prefix no longer has (a sync), resumable after a crash.
import { mkdir, utimes } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { fileSystemError, invalidArgument } from "@blobkit/auth/kit";
import { downloadBlob } from "@blobkit/blobs";
import { checkOutside, withoutQuery } from "./internal/checkpoint.js";
import { needsTransfer, type RemoteEntry } from "./internal/compare.js";
import { deleteLocalFiles } from "./internal/deleteExtraneous.js";
import { march, type Sink } from "./internal/engine.js";
import { type KnownSubtree, listRemoteLevel, remoteEntriesUnder } from "./internal/listRemote.js";
import { checkLocalFolder } from "./internal/localFolder.js";
import { localSegmentsOf, normalizePrefix } from "./internal/names.js";
import { checkContainer, resolveTransferOptions } from "./internal/options.js";
import {
  type LocalFile,
  type LocalFolderContents,
  localFilesUnder,
  localProblem,
  readLocalFolder,
} from "./internal/walkLocal.js";
import type { TransferOptions, TransferResult } from "./types.js";

/**
 * Files up to this size are read in one request (decision 23): the folder's other files keep the
 * requests busy, and the MD5 is then computed in order as the bytes arrive, with nothing read back
 * from the file. A kill loses at most this much of each file in flight; larger files are read in
 * ranges and resume range by range.
 */
const WHOLE_FILE_MAX = 64 * 1024 * 1024;

/**
 * Files in flight per request slot of the budget (decision 24): a small file's download is mostly
 * file work after its request (flush, close, rename, time stamp), and four files per slot keep
 * the requests going meanwhile; the budget still bounds the requests and their memory.
 */
const DOWNLOAD_FILES_PER_SLOT = 4;

/** Options of {@link downloadDirectory}. */
export interface DownloadDirectoryOptions extends TransferOptions {
  /** The virtual directory to download, e.g. `"backups/2024"`; the whole container when left out. */
  prefix?: string;
  /**
   * Delete the local files (that match the patterns) the prefix no longer has: with
   * `overwrite: "changed"`, a sync. Nothing is deleted if any download failed. Try it with
   * `dryRun: true` first: `deleted` then lists what would go.
   * @defaultValue false
   */
  deleteExtraneous?: boolean;
  /**
   * Check each whole file against the MD5 stored with its blob; see `downloadBlob`.
   * @defaultValue true
   */
  verify?: boolean;
  /**
   * Flush each file to disk before it is renamed into place; see `downloadBlob`'s `durable`. For
   * a folder of many small files this is most of the file work: turn it off for data you can
   * download again after a power loss.
   * @defaultValue true
   */
  durable?: boolean;
}

/**
 * Downloads the blobs under `prefix` into a local folder (created if missing), each to the path
 * its name gives below the prefix (`/` becomes the OS separator). A file that already has the
 * blob's size and modification time (BlobKit sets each file's time to the blob's `mtime`
 * metadata, or its last-modified time) is skipped, so running it again after an interruption
 * continues where it stopped, and a file of more than 64 MiB interrupted mid-download resumes
 * from its partial file (a smaller one is read in one request, and read again). Every file is
 * checked against the MD5 stored with its blob and written under a temporary name first: no
 * partial or corrupted file ever appears under a final name. All files share one budget of
 * requests and memory. Blob names that cannot be local paths (`..` segments, empty segments) are
 * reported as failures, never written outside the folder.
 *
 * @see [Transfer folders and many files: Download a prefix](../../../apps/docs/guides/transfer-folders.md#download-a-prefix)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { downloadDirectory } from "@blobkit/transfer";
 *
 * declare const container: ContainerClient;
 * const result = await downloadDirectory(container, "./restore", { prefix: "backups/2024" });
 * for (const failed of result.failed) console.error(failed.path, failed.message);
 * ```
 */
export async function downloadDirectory(
  container: ContainerClient,
  folder: string,
  options: DownloadDirectoryOptions = {},
): Promise<TransferResult> {
  const started = performance.now();
  checkContainer(container, "container");
  const settings = resolveTransferOptions(options, DOWNLOAD_FILES_PER_SLOT);
  const prefix = normalizePrefix(options.prefix);
  const context = {
    operation: "download directory",
    resource: `container '${container.containerName}'${prefix ? ` under '${prefix}'` : ""} to ${JSON.stringify(folder)}`,
  };
  if (settings.checkpoint !== undefined) checkOutside(settings.checkpoint, folder);
  const exists = await checkLocalFolder(folder, context, false);
  const { filter } = settings;
  const deleteExtraneous = options.deleteExtraneous === true;
  const entered = new Set<string>(); // no link is followed: nothing to loop on
  const badName = (entry: RemoteEntry, sink: Sink) => {
    const mapped = localSegmentsOf(entry.name, prefix);
    sink.fail(
      { name: entry.name, path: entry.name, size: entry.size },
      invalidArgument(
        "blob name",
        "problem" in mapped ? mapped.problem : `${JSON.stringify(entry.name)} has no local path`,
      ),
    );
  };

  /** Compares one virtual directory with its local folder. */
  const scan = async (at: DownloadFolder, sink: Sink): Promise<DownloadFolder[]> => {
    const { signal } = sink;
    const [remote, local] = await Promise.all([
      listRemoteLevel(container, prefix, at.level, filter, signal, at.known),
      at.local
        ? readLocalFolder(folder, at.segments, {
            filter,
            followSymlinks: false,
            entered,
            statFiles: true,
            signal,
          })
        : ({ files: [], folders: [], problems: [] } satisfies LocalFolderContents),
    ]);
    for (const problem of local.problems) {
      if (problem.code !== "symlink")
        sink.fail({ name: "", path: problem.path, size: 0 }, localProblem(problem, context));
    }
    const localFiles = new Map(local.files.map((file) => [file.name.normalize("NFC"), file]));
    for (const [key, entry] of remote.files) {
      const item = { name: entry.name, path: entry.name, size: entry.size };
      if ("problem" in localSegmentsOf(key, "")) {
        badName(entry, sink);
        continue;
      }
      // A blob whose path is also another blob's folder cannot be a file.
      if (remote.folders.has(key)) {
        sink.fail(
          item,
          invalidArgument(
            "blob name",
            `${JSON.stringify(entry.name)} is also the folder of other blobs; a local path cannot be both a file and a folder`,
          ),
        );
        continue;
      }
      const path = join(folder, ...at.segments, key);
      const existing = localFiles.get(key);
      localFiles.delete(key);
      const decision = existing
        ? await needsTransfer(
            settings.overwrite,
            settings.compare,
            existing,
            entry,
            "download",
            signal,
          )
        : "transfer";
      if (decision !== "transfer") {
        sink.skip({ ...item, path, reason: decision });
        continue;
      }
      await sink.transfer({
        item: { ...item, path },
        run: (s, onBytes) => download(entry, path, s, onBytes),
      });
    }
    const localFolders = new Map(local.folders.map((sub) => [sub.name.normalize("NFC"), sub]));
    const next: DownloadFolder[] = [];
    for (const key of remote.folders) {
      const level = `${at.level}${key}/`;
      const known = remote.known.get(key);
      if ("problem" in localSegmentsOf(key, "")) {
        // No local path for anything below: each blob is reported.
        for await (const entry of remoteEntriesUnder(
          container,
          prefix,
          level,
          filter,
          signal,
          known,
        ))
          badName(entry, sink);
        continue;
      }
      const present = localFolders.get(key);
      localFolders.delete(key);
      next.push({
        segments: [...at.segments, present?.name ?? key],
        level,
        local: present !== undefined,
        ...(known ? { known } : {}),
      });
    }
    if (deleteExtraneous) {
      // What the prefix no longer has: the files left unmatched, and whole folders it lacks.
      const extraneous = (file: LocalFile) =>
        sink.extraneous({ name: `${prefix}${file.relative}`, path: file.path, size: file.size });
      for (const file of localFiles.values()) extraneous(file);
      for (const gone of localFolders.values()) {
        for await (const file of localFilesUnder(folder, gone.segments, {
          filter,
          followSymlinks: false,
          signal,
        }))
          extraneous(file);
      }
    }
    return next;
  };

  const download = async (
    entry: RemoteEntry,
    path: string,
    taskSignal: AbortSignal,
    onBytes: (loaded: number) => void,
  ) => {
    const whole = entry.size <= WHOLE_FILE_MAX;
    await downloadBlob(
      container.getBlobClient(entry.name),
      {
        path,
        createFolders: true,
        ...(options.durable === false ? { durable: false } : {}),
        // A file the first response carries whole has nothing to resume: no journal to look for.
        ...(whole ? { resume: false } : {}),
      },
      {
        budget: settings.budget,
        signal: taskSignal,
        ...(whole ? { rangeSize: WHOLE_FILE_MAX } : {}),
        onProgress: ({ loaded }) => onBytes(loaded),
        ...(options.verify === false ? { verify: false } : {}),
      },
    );
    // The file takes the blob's time (in seconds with their fraction: a Date would drop the
    // microseconds), so that the next run sees it unchanged.
    const seconds = (entry.mtimeMs ?? entry.lastModified) / 1000;
    await utimes(path, seconds, seconds).catch((error: unknown) => {
      throw fileSystemError(error, { ...context, path });
    });
  };

  return march(
    {
      context,
      ends: { source: `${withoutQuery(container.url)}/${prefix}`, destination: resolve(folder) },
      roots: [{ segments: [], level: prefix, local: exists }],
      scan,
      prepare: () =>
        mkdir(folder, { recursive: true }).then(
          () => {},
          (error: unknown) => {
            throw fileSystemError(error, { ...context, path: folder });
          },
        ),
      // Deletes the local files the prefix no longer has (only after every download succeeded).
      deleteExtraneous: (items, report) => deleteLocalFiles(items, report, context),
    },
    settings,
    started,
  );
}

/** A virtual directory and the local folder it maps to. */
interface DownloadFolder {
  /** Path segments of the local folder below the destination. */
  segments: string[];
  /** The virtual directory: the prefix and the path, ending in "/". */
  level: string;
  /** Whether the local folder exists (if not, it is not read). */
  local: boolean;
  /** Every blob under `level`, when the listing of a directory above returned them all. */
  known?: KnownSubtree;
}
