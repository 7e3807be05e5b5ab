import type { ContainerClient } from "@azure/storage-blob";
import { invalidArgument } from "@blobkit/auth/kit";
import { type UploadBlobOptions, uploadBlob } from "@blobkit/blobs";
import type { Metadata } from "@blobkit/containers";
import { formatMtime, MTIME_METADATA, needsTransfer } from "./internal/compare.js";
import { deleteExtraneousBlobs } from "./internal/deleteExtraneous.js";
import { executePlan, type Task } from "./internal/engine.js";
import { listRemote } from "./internal/listRemote.js";
import { checkLocalFolder } from "./internal/localFolder.js";
import { blobNameOf, blobNameProblem, nameClashes, normalizePrefix } from "./internal/names.js";
import { checkContainer, resolveTransferOptions } from "./internal/options.js";
import { blobItems, failure } from "./internal/result.js";
import { localProblem, walkLocal } from "./internal/walkLocal.js";
import type {
  FailedItem,
  SkippedItem,
  TransferItem,
  TransferOptions,
  TransferResult,
} from "./types.js";

/** Options of {@link uploadDirectory}. */
export interface UploadDirectoryOptions extends TransferOptions {
  /** The virtual directory to upload into, e.g. `"sites/www"`; the container's root when left out. */
  prefix?: string;
  /**
   * Follow symbolic links (to files and folders; a link back up the tree is reported, not
   * followed twice). Left out, links are skipped and listed in `skipped` with reason `"symlink"`.
   * @defaultValue false
   */
  followSymlinks?: boolean;
  /**
   * Delete the blobs under the prefix that the folder no longer has (that match the patterns):
   * with `overwrite: "changed"`, a sync. Nothing is deleted if any upload failed. Try it with
   * `dryRun: true` first: `deleted` then lists what would go.
   * @defaultValue false
   */
  deleteExtraneous?: boolean;
  /** Metadata for every blob, on top of `mtime` (the file's modification time, which BlobKit sets). */
  metadata?: Metadata;
  /** Per-request checksum of each upload; see `uploadBlob`. @defaultValue "md5" */
  checksum?: UploadBlobOptions["checksum"];
  /** Access tier of every blob. */
  tier?: UploadBlobOptions["tier"];
  /** Block size of files uploaded in blocks; see `chooseBlockSize`. */
  blockSize?: number;
}

/**
 * Uploads the files of a local folder to a container, under `prefix`, as blobs named after their
 * path below the folder (`/` separators on every OS, Unicode in NFC). Files whose blob already
 * has the same size and modification time (BlobKit stores the file's `mtime` with each blob) are
 * skipped, so running it again after an interruption continues where it stopped, and a file
 * interrupted mid-upload resumes from the blocks the service already holds. All files share one
 * budget of requests and memory: small files go many at a time, large ones in blocks. Every file
 * is listed in the result as transferred, skipped or failed. With `deleteExtraneous`, blobs the
 * folder no longer has are deleted: a sync.
 *
 * Names Azure would refuse (too long, too many segments, a trailing dot) and two files that would
 * get one name are reported before any request.
 *
 * @see [Transfer folders and many files: Upload a folder](../../../apps/docs/guides/transfer-folders.md#upload-a-folder)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { uploadDirectory } from "@blobkit/transfer";
 *
 * declare const container: ContainerClient;
 * const result = await uploadDirectory(container, "./dist", {
 *   prefix: "site",
 *   exclude: ["**\/*.map"],
 *   onProgress: (p) => console.log(`${p.filesDone}/${p.filesTotal} files, ${p.bytesDone} bytes`),
 * });
 * console.log(`${result.transferred.length} uploaded, ${result.skipped.length} unchanged`);
 * ```
 */
export async function uploadDirectory(
  container: ContainerClient,
  folder: string,
  options: UploadDirectoryOptions = {},
): Promise<TransferResult> {
  const started = performance.now();
  checkContainer(container, "container");
  const settings = resolveTransferOptions(options);
  const prefix = normalizePrefix(options.prefix);
  const context = {
    operation: "upload directory",
    resource: `${JSON.stringify(folder)} to container '${container.containerName}'${prefix ? ` under '${prefix}'` : ""}`,
  };
  await checkLocalFolder(folder, context, true);
  const { signal } = settings;

  // Scan: the folder first (bad names fail before any request), then the container.
  const walked = await walkLocal(folder, {
    filter: settings.filter,
    followSymlinks: options.followSymlinks === true,
    signal,
  });
  const files = walked.files.map((file) => ({ ...file, name: blobNameOf(prefix, file.segments) }));
  const clashes = nameClashes(files);
  if (clashes.length > 0) {
    throw invalidArgument(
      "folder",
      `${clashes.length} file name clash(es): ${clashes.slice(0, 5).join("; ")}`,
    );
  }
  const skipped: SkippedItem[] = [];
  const failed: FailedItem[] = [];
  for (const problem of walked.problems) {
    const item = {
      name: blobNameOf(prefix, problem.relative.split("/")),
      path: problem.path,
      size: 0,
    };
    if (problem.code === "symlink") skipped.push({ ...item, reason: "symlink" });
    else failed.push(failure(item, localProblem(problem, context)));
  }
  const named = [];
  for (const file of files) {
    const problem = blobNameProblem(file.name);
    if (problem === undefined) {
      named.push(file);
      continue;
    }
    const error = invalidArgument("blob name", `${JSON.stringify(file.path)}: ${problem}`);
    if (settings.failurePolicy === "stop") throw error;
    failed.push(failure({ name: file.name, path: file.path, size: file.size }, error));
  }
  const needRemote = settings.overwrite !== "always" || options.deleteExtraneous === true;
  const remote = needRemote
    ? await listRemote(container, prefix, settings.filter, signal)
    : new Map();

  // Decide per file.
  const work: typeof named = [];
  for (const file of named) {
    const existing = remote.get(file.name);
    remote.delete(file.name);
    const decision = existing
      ? await needsTransfer(settings.overwrite, settings.compare, file, existing, "upload", signal)
      : "transfer";
    if (decision === "transfer") work.push(file);
    else skipped.push({ name: file.name, path: file.path, size: file.size, reason: decision });
  }
  const extraneous = options.deleteExtraneous ? blobItems(remote.values()) : [];
  const toItem = (file: (typeof work)[number]): TransferItem => ({
    name: file.name,
    path: file.path,
    size: file.size,
  });
  const tasks: Task[] = work.map((file) => ({
    item: toItem(file),
    run: async (taskSignal, onBytes) => {
      await uploadBlob(
        container,
        file.name,
        { path: file.path },
        {
          budget: settings.budget,
          signal: taskSignal,
          onProgress: ({ loaded }) => onBytes(loaded),
          metadata: { ...options.metadata, [MTIME_METADATA]: formatMtime(file.mtimeNs) },
          ...(options.checksum ? { checksum: options.checksum } : {}),
          ...(options.tier ? { tier: options.tier } : {}),
          ...(options.blockSize ? { blockSize: options.blockSize } : {}),
        },
      );
    },
  }));
  return executePlan(
    {
      context,
      tasks,
      skipped,
      failed,
      extraneous,
      // Deletes what the folder no longer has (only after every upload succeeded).
      deleteExtraneous: (failed) => deleteExtraneousBlobs(container, extraneous, failed, settings),
    },
    settings,
    started,
  );
}
