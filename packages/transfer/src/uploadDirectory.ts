import { join, resolve } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { invalidArgument } from "@blobkit/auth/kit";
import { type UploadBlobOptions, uploadBlob } from "@blobkit/blobs";
import type { Metadata } from "@blobkit/containers";
import { checkOutside, withoutQuery } from "./internal/checkpoint.js";
import { formatMtime, MTIME_METADATA, needsTransfer } from "./internal/compare.js";
import { deleteExtraneousBlobs } from "./internal/deleteExtraneous.js";
import { march, type Sink } from "./internal/engine.js";
import {
  emptyLevel,
  type KnownSubtree,
  listRemoteLevel,
  reportExtraneousBlobs,
} from "./internal/listRemote.js";
import { checkLocalFolder } from "./internal/localFolder.js";
import { blobNameProblem, nameClashes, normalizePrefix } from "./internal/names.js";
import {
  checkContainer,
  resolveTransferOptions,
  type TransferSettings,
} from "./internal/options.js";
import {
  enteredRoot,
  type LocalFile,
  localProblem,
  readLocalFolder,
} from "./internal/walkLocal.js";
import type { TransferOptions, TransferResult } from "./types.js";

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
 * import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
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
  const prefix = normalizePrefix(options.prefix).normalize("NFC");
  const context = {
    operation: "upload directory",
    resource: `${JSON.stringify(folder)} to container '${container.containerName}'${prefix ? ` under '${prefix}'` : ""}`,
  };
  if (settings.checkpoint !== undefined) checkOutside(settings.checkpoint, folder);
  await checkLocalFolder(folder, context, true);
  const { filter } = settings;
  const followSymlinks = options.followSymlinks === true;
  const deleteExtraneous = options.deleteExtraneous === true;

  // Names first: a name Azure refuses, or two files that would share one, fail before any request.
  await checkNames(folder, prefix, settings, followSymlinks);

  const entered = await enteredRoot(folder);
  const metadata = (file: LocalFile) => ({
    ...options.metadata,
    [MTIME_METADATA]: formatMtime(file.mtimeNs),
  });
  /** Compares one local folder with its virtual directory. */
  const scan = async (at: UploadFolder, sink: Sink): Promise<UploadFolder[]> => {
    const { signal } = sink;
    const [local, remote] = await Promise.all([
      readLocalFolder(folder, at.segments, {
        filter,
        followSymlinks,
        entered,
        statFiles: true,
        signal,
      }),
      at.remote
        ? listRemoteLevel(container, prefix, at.level, filter, signal, at.known)
        : emptyLevel(),
    ]);
    for (const problem of local.problems) {
      const item = {
        name: `${prefix}${problem.relative}`.normalize("NFC"),
        path: problem.path,
        size: 0,
      };
      if (problem.code === "symlink") sink.skip({ ...item, reason: "symlink" });
      else sink.fail(item, localProblem(problem, context));
    }
    const seen = new Set<string>();
    for (const file of local.files) {
      const key = file.name.normalize("NFC");
      const name = `${at.level}${key}`;
      const item = { name, path: file.path, size: file.size };
      const problem = seen.has(key)
        ? "another file of its folder has the same name in Unicode NFC; rename one of them"
        : blobNameProblem(name);
      seen.add(key);
      if (problem !== undefined) {
        sink.fail(item, invalidArgument("blob name", `${JSON.stringify(file.path)}: ${problem}`));
        continue;
      }
      const existing = remote.files.get(key);
      remote.files.delete(key);
      const decision = existing
        ? await needsTransfer(
            settings.overwrite,
            settings.compare,
            file,
            existing,
            "upload",
            signal,
          )
        : "transfer";
      if (decision !== "transfer") {
        sink.skip({ ...item, reason: decision });
        continue;
      }
      await sink.transfer({
        item,
        run: async (taskSignal, onBytes) => {
          await uploadBlob(
            container,
            name,
            { path: file.path },
            {
              budget: settings.budget,
              signal: taskSignal,
              onProgress: ({ loaded }) => onBytes(loaded),
              metadata: metadata(file),
              ...(options.checksum ? { checksum: options.checksum } : {}),
              ...(options.tier ? { tier: options.tier } : {}),
              ...(options.blockSize ? { blockSize: options.blockSize } : {}),
            },
          );
        },
      });
    }
    const next: UploadFolder[] = [];
    for (const sub of local.folders) {
      const key = sub.name.normalize("NFC");
      const known = remote.known.get(key);
      next.push({
        segments: sub.segments,
        level: `${at.level}${key}/`,
        remote: remote.folders.delete(key),
        ...(known ? { known } : {}),
      });
    }
    if (deleteExtraneous) {
      // What the folder no longer has: the blobs left unmatched, and whole directories it lacks.
      await reportExtraneousBlobs(container, prefix, at.level, remote, filter, sink);
    }
    return next;
  };
  return march(
    {
      context,
      ends: { source: resolve(folder), destination: `${withoutQuery(container.url)}/${prefix}` },
      roots: [
        {
          segments: [],
          level: prefix,
          remote: settings.overwrite !== "always" || deleteExtraneous,
        },
      ],
      scan,
      // Deletes what the folder no longer has (only after every upload succeeded).
      deleteExtraneous: (items, report) =>
        deleteExtraneousBlobs(container, items, report, settings.signal),
    },
    settings,
    started,
  );
}

/** A local folder and the virtual directory it maps to. */
interface UploadFolder {
  /** Path segments below the uploaded folder. */
  segments: string[];
  /** Its blob-name prefix: the transfer's prefix and the path in NFC, ending in "/". */
  level: string;
  /** Whether the container may hold blobs under `level` (if not, it is not listed). */
  remote: boolean;
  /** Every blob under `level`, when the listing of a folder above returned them all. */
  known?: KnownSubtree;
}

/**
 * Reads the names of the whole tree (no file is opened or stat'ed, only links are followed) and
 * throws if two entries of a folder would share one blob name, or, when the failure policy is
 * "stop", at the first name Azure would refuse.
 */
async function checkNames(
  folder: string,
  prefix: string,
  settings: TransferSettings,
  followSymlinks: boolean,
): Promise<void> {
  const entered = await enteredRoot(folder);
  const stack: string[][] = [[]];
  const clashes: string[] = [];
  while (stack.length > 0 && clashes.length < 5) {
    const batch = stack.splice(-8);
    const contents = await Promise.all(
      batch.map((segments) =>
        readLocalFolder(folder, segments, {
          filter: settings.filter,
          followSymlinks,
          entered,
          statFiles: false,
          signal: settings.signal,
        }),
      ),
    );
    for (const { files, folders } of contents) {
      const fileNames = files.map((file) => ({
        name: `${prefix}${file.relative}`.normalize("NFC"),
        path: file.path,
      }));
      clashes.push(...nameClashes(fileNames));
      clashes.push(
        ...nameClashes(
          folders.map((sub) => ({
            name: `${prefix}${sub.segments.join("/")}/`.normalize("NFC"),
            path: join(folder, ...sub.segments),
          })),
        ),
      );
      if (settings.failurePolicy === "stop") {
        for (const { name, path } of fileNames) {
          const problem = blobNameProblem(name);
          if (problem !== undefined) {
            throw invalidArgument("blob name", `${JSON.stringify(path)}: ${problem}`);
          }
        }
      }
      for (const sub of folders) stack.push(sub.segments);
    }
  }
  if (clashes.length > 0) {
    throw invalidArgument(
      "folder",
      `${clashes.length} name clash(es): ${clashes.slice(0, 5).join("; ")}`,
    );
  }
}
