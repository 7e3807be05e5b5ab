// copyDirectory(): the blobs under a prefix copied server-side to another container (of the same
// or another account), under another prefix, skipping what is unchanged: no byte passes through
// the client. The service reads the source with one short-lived read SAS for the whole copy.
import {
  BlobServiceClient,
  type ContainerClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { checkInteger, invalidArgument } from "@blobkit/auth/kit";
import { copyBlob, type SourceAuthorization } from "@blobkit/blobs";
import { createServiceSas } from "@blobkit/sas";
import type { RemoteEntry } from "./internal/compare.js";
import { deleteExtraneousBlobs } from "./internal/deleteExtraneous.js";
import { executePlan, type Task } from "./internal/engine.js";
import { listRemote } from "./internal/listRemote.js";
import { blobNameProblem, normalizePrefix } from "./internal/names.js";
import { checkContainer, resolveTransferOptions } from "./internal/options.js";
import { blobItems, failure } from "./internal/result.js";
import type {
  FailedItem,
  SkippedItem,
  TransferItem,
  TransferOptions,
  TransferResult,
} from "./types.js";

/** Options of {@link copyDirectory}. */
export interface CopyDirectoryOptions extends TransferOptions {
  /** The virtual directory to copy from; the whole source container when left out. */
  sourcePrefix?: string;
  /** The virtual directory to copy into; the destination container's root when left out. */
  destinationPrefix?: string;
  /**
   * Delete the destination blobs under `destinationPrefix` (that match the patterns) the source
   * no longer has: a sync. Nothing is deleted if any copy failed.
   * @defaultValue false
   */
  deleteExtraneous?: boolean;
  /**
   * How the service reads the source, as for `copyBlob`. Left out: when the source client signs
   * with an account key, BlobKit creates one read-only SAS for the source container (valid for
   * `sourceSasLifetimeMs`) and uses it for every blob; otherwise each copy authorizes itself as
   * `copyBlob` does (the source URL's own SAS, or the Microsoft Entra ID token).
   */
  sourceAuthorization?: SourceAuthorization;
  /**
   * Lifetime of the read-only SAS BlobKit creates for an account-key source. Asynchronous copies
   * (blobs over 256 MiB) must finish reading within it.
   * @defaultValue 1 hour
   */
  sourceSasLifetimeMs?: number;
}

/**
 * Copies the blobs under `sourcePrefix` of one container to another container (in the same or
 * another account) under `destinationPrefix`, server-side: the service copies the bytes, the
 * client only asks and checks. Destination blobs with the same size and MD5 (or, without MD5,
 * one written after the source changed) are skipped, so a rerun continues where it stopped.
 * Copies share the budget's request slots. `deleteExtraneous` makes it a sync.
 *
 * @see [Transfer folders and many files: Copy a prefix inside the service](../../../apps/docs/guides/transfer-folders.md#copy-a-prefix-inside-the-service)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { copyDirectory } from "@blobkit/transfer";
 *
 * declare const source: ContainerClient;
 * declare const backup: ContainerClient;
 * const result = await copyDirectory(source, backup, {
 *   sourcePrefix: "reports/2024",
 *   destinationPrefix: "2024",
 * });
 * console.log(`${result.transferred.length} copied`);
 * ```
 */
export async function copyDirectory(
  source: ContainerClient,
  destination: ContainerClient,
  options: CopyDirectoryOptions = {},
): Promise<TransferResult> {
  const started = performance.now();
  checkContainer(source, "source");
  checkContainer(destination, "destination");
  const settings = resolveTransferOptions(options);
  const from = normalizePrefix(options.sourcePrefix, "sourcePrefix");
  const to = normalizePrefix(options.destinationPrefix, "destinationPrefix");
  const lifetimeMs = checkInteger(
    "sourceSasLifetimeMs",
    options.sourceSasLifetimeMs,
    { min: 60_000, max: 7 * 24 * 3_600_000, unit: "ms" },
    3_600_000,
  );
  if (source.url === destination.url && from === to) {
    throw invalidArgument(
      "destinationPrefix",
      "is the source itself: a copy onto itself changes nothing",
    );
  }
  const context = {
    operation: "copy directory",
    resource: `container '${source.containerName}'${from ? ` under '${from}'` : ""} to container '${destination.containerName}'${to ? ` under '${to}'` : ""}`,
  };
  const { signal } = settings;
  const authorization = options.sourceAuthorization ?? sourceSas(source, lifetimeMs);

  const sources = await listRemote(source, from, settings.filter, signal);
  const targets = await listRemote(destination, to, settings.filter, signal);
  const skipped: SkippedItem[] = [];
  const failed: FailedItem[] = [];
  const work: Array<{ entry: RemoteEntry; target: string }> = [];
  for (const entry of sources.values()) {
    // Names are kept exactly (no Unicode normalization): a copy is the same blob under a new prefix.
    const target = `${to}${entry.name.slice(from.length)}`;
    const item = { name: target, path: entry.name, size: entry.size };
    const problem = blobNameProblem(target);
    if (problem !== undefined) {
      const error = invalidArgument("blob name", `${JSON.stringify(entry.name)}: ${problem}`);
      if (settings.failurePolicy === "stop") throw error;
      failed.push(failure(item, error));
      continue;
    }
    const existing = targets.get(target);
    targets.delete(target);
    const decision = !existing ? "transfer" : decide(settings.overwrite, entry, existing);
    if (decision === "transfer") work.push({ entry, target });
    else skipped.push({ ...item, reason: decision });
  }
  const extraneous = options.deleteExtraneous ? blobItems(targets.values()) : [];
  const toItem = (job: (typeof work)[number]): TransferItem => ({
    name: job.target,
    path: job.entry.name,
    size: job.entry.size,
  });
  const tasks: Task[] = work.map((job) => ({
    item: toItem(job),
    run: (taskSignal, onBytes) =>
      settings.budget.run(
        0,
        async () => {
          await copyBlob(
            source.getBlobClient(job.entry.name),
            destination.getBlobClient(job.target),
            {
              signal: taskSignal,
              onProgress: ({ loaded }) => onBytes(loaded),
              ...(authorization ? { sourceAuthorization: authorization } : {}),
            },
          );
        },
        { signal: taskSignal },
      ),
  }));
  return executePlan(
    {
      context,
      tasks,
      skipped,
      failed,
      extraneous,
      deleteExtraneous: (failed) =>
        deleteExtraneousBlobs(destination, extraneous, failed, settings),
    },
    settings,
    started,
  );
}

/** Same content (size and MD5), or, without MD5s, a destination written after the source. */
function decide(
  overwrite: "changed" | "always" | "never",
  source: RemoteEntry,
  target: RemoteEntry,
): "transfer" | "unchanged" | "exists" {
  if (overwrite === "never") return "exists";
  if (overwrite === "always" || source.size !== target.size) return "transfer";
  if (source.contentMD5 && target.contentMD5) {
    return Buffer.compare(Buffer.from(source.contentMD5), Buffer.from(target.contentMD5)) === 0
      ? "unchanged"
      : "transfer";
  }
  return target.lastModified >= source.lastModified ? "unchanged" : "transfer";
}

/**
 * One read-only SAS for the source container when its client signs with an account key,
 * renewed when half its lifetime has passed; `undefined` otherwise (copyBlob then authorizes each
 * copy itself).
 */
function sourceSas(source: ContainerClient, lifetimeMs: number): SourceAuthorization | undefined {
  const credential = source.credential;
  if (!(credential instanceof StorageSharedKeyCredential)) return undefined;
  const accountUrl = source.url.slice(0, source.url.lastIndexOf("/"));
  let current: { token: string; renewAt: number } | undefined;
  return async () => {
    if (!current || Date.now() >= current.renewAt) {
      // Only signs locally: this client never sends a request.
      const service = new BlobServiceClient(accountUrl, credential);
      const sas = createServiceSas(
        service,
        { container: source.containerName },
        {
          permissions: "r",
          expiresOn: new Date(Date.now() + lifetimeMs),
        },
      );
      current = { token: sas.token, renewAt: Date.now() + lifetimeMs / 2 };
    }
    return current.token;
  };
}
