// downloadDirectory(): the blobs under a prefix to a local folder, skipping what is unchanged,
// optionally deleting local files the prefix no longer has (a sync), resumable after a crash.
import { mkdir, utimes } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { fileSystemError, invalidArgument } from "@blobkit/auth/kit";
import { DEFAULT_DOWNLOAD_OPTIONS, downloadBlob } from "@blobkit/blobs";
import { needsTransfer, type RemoteEntry } from "./internal/compare.js";
import { deleteLocalFiles } from "./internal/deleteExtraneous.js";
import { executePlan, type Task } from "./internal/engine.js";
import { listRemote } from "./internal/listRemote.js";
import { checkLocalFolder } from "./internal/localFolder.js";
import { localSegmentsOf, normalizePrefix } from "./internal/names.js";
import { checkContainer, resolveTransferOptions } from "./internal/options.js";
import { failure } from "./internal/result.js";
import { type LocalFile, localProblem, walkLocal } from "./internal/walkLocal.js";
import type {
  FailedItem,
  SkippedItem,
  TransferItem,
  TransferOptions,
  TransferResult,
} from "./types.js";

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

/** A blob to download and where it goes. */
interface Planned {
  entry: RemoteEntry;
  path: string;
  relative: string;
}

/**
 * Downloads the blobs under `prefix` into a local folder (created if missing), each to the path
 * its name gives below the prefix (`/` becomes the OS separator). A file that already has the
 * blob's size and modification time (BlobKit sets each file's time to the blob's `mtime`
 * metadata, or its last-modified time) is skipped, so running it again after an interruption
 * continues where it stopped, and a file interrupted mid-download resumes from its partial file.
 * Every file is checked against the MD5 stored with its blob and written under a temporary name
 * first: no partial or corrupted file ever appears under a final name. All files share one budget
 * of requests and memory. Blob names that cannot be local paths (`..` segments, empty segments)
 * are reported as failures, never written outside the folder.
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
  const settings = resolveTransferOptions(options);
  const prefix = normalizePrefix(options.prefix);
  const context = {
    operation: "download directory",
    resource: `container '${container.containerName}'${prefix ? ` under '${prefix}'` : ""} to ${JSON.stringify(folder)}`,
  };
  const exists = await checkLocalFolder(folder, context, false);
  const { signal } = settings;

  // Scan: the container, and the folder when there is one.
  const remote = await listRemote(container, prefix, settings.filter, signal);
  const local = exists
    ? await walkLocal(folder, { filter: settings.filter, followSymlinks: false, signal })
    : { files: [] as LocalFile[], problems: [] };
  const localByName = new Map(local.files.map((file) => [file.relative.normalize("NFC"), file]));

  const skipped: SkippedItem[] = [];
  const failed: FailedItem[] = [];
  const planned: Planned[] = [];
  const folders = new Set<string>();
  for (const entry of remote.values()) {
    const mapped = localSegmentsOf(entry.name, prefix);
    const item = { name: entry.name, path: entry.name, size: entry.size };
    if ("problem" in mapped) {
      const error = invalidArgument("blob name", mapped.problem);
      if (settings.failurePolicy === "stop") throw error;
      failed.push(failure(item, error));
      continue;
    }
    const relative = mapped.segments.join("/");
    for (let i = 1; i < mapped.segments.length; i++)
      folders.add(mapped.segments.slice(0, i).join("/"));
    planned.push({ entry, relative, path: join(folder, ...mapped.segments) });
  }

  // Decide per blob. A blob whose path is also another blob's folder cannot be a file.
  const work: Planned[] = [];
  for (const plan of planned) {
    const item = { name: plan.entry.name, path: plan.path, size: plan.entry.size };
    if (folders.has(plan.relative)) {
      failed.push(
        failure(
          item,
          invalidArgument(
            "blob name",
            `${JSON.stringify(plan.entry.name)} is also the folder of other blobs; a local path cannot be both a file and a folder`,
          ),
        ),
      );
      continue;
    }
    const existing = localByName.get(plan.relative);
    localByName.delete(plan.relative);
    const decision = existing
      ? await needsTransfer(
          settings.overwrite,
          settings.compare,
          existing,
          plan.entry,
          "download",
          signal,
        )
      : "transfer";
    if (decision === "transfer") work.push(plan);
    else skipped.push({ ...item, reason: decision });
  }
  for (const problem of local.problems) {
    if (problem.code !== "symlink")
      failed.push(
        failure({ name: "", path: problem.path, size: 0 }, localProblem(problem, context)),
      );
  }
  const extraneous: TransferItem[] = options.deleteExtraneous
    ? [...localByName.values()].map((file) => ({
        name: `${prefix}${file.relative}`,
        path: file.path,
        size: file.size,
      }))
    : [];
  const toItem = (plan: Planned): TransferItem => ({
    name: plan.entry.name,
    path: plan.path,
    size: plan.entry.size,
  });
  const tasks: Task[] = work.map((plan) => ({
    item: toItem(plan),
    run: async (taskSignal, onBytes) => {
      const blob = container.getBlobClient(plan.entry.name);
      await downloadBlob(
        blob,
        {
          path: plan.path,
          createFolders: true,
          ...(options.durable === false ? { durable: false } : {}),
          // A file the first response carries whole has nothing to resume: no journal to look for.
          ...(plan.entry.size <= DEFAULT_DOWNLOAD_OPTIONS.rangeSize ? { resume: false } : {}),
        },
        {
          budget: settings.budget,
          signal: taskSignal,
          onProgress: ({ loaded }) => onBytes(loaded),
          ...(options.verify === false ? { verify: false } : {}),
        },
      );
      // The file takes the blob's time (in seconds with their fraction: a Date would drop the
      // microseconds), so that the next run sees it unchanged.
      const seconds = (plan.entry.mtimeMs ?? plan.entry.lastModified) / 1000;
      await utimes(plan.path, seconds, seconds).catch((error: unknown) => {
        throw fileSystemError(error, { ...context, path: plan.path });
      });
    },
  }));
  return executePlan(
    {
      context,
      tasks,
      skipped,
      failed,
      extraneous,
      prepare: () =>
        mkdir(folder, { recursive: true }).then(
          () => {},
          (error: unknown) => {
            throw fileSystemError(error, { ...context, path: folder });
          },
        ),
      // Deletes the local files the prefix no longer has (only after every download succeeded).
      deleteExtraneous: (failed) => deleteLocalFiles(extraneous, failed, settings, context),
    },
    settings,
    started,
  );
}
