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
import { withoutQuery } from "./internal/checkpoint.js";
import type { RemoteEntry } from "./internal/compare.js";
import { deleteExtraneousBlobs } from "./internal/deleteExtraneous.js";
import { march, type Sink } from "./internal/engine.js";
import {
  emptyLevel,
  type KnownSubtree,
  listRemoteLevel,
  reportExtraneousBlobs,
} from "./internal/listRemote.js";
import { blobNameProblem, normalizePrefix } from "./internal/names.js";
import { checkContainer, resolveTransferOptions } from "./internal/options.js";
import type { TransferOptions, TransferResult } from "./types.js";

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
  // Folders are read while copies land: a destination inside the source would be copied into
  // itself again and again, and a sync into a destination holding the source would delete it.
  if (source.url === destination.url && (to.startsWith(from) || from.startsWith(to))) {
    throw invalidArgument(
      "destinationPrefix",
      `${JSON.stringify(to)} and the source prefix ${JSON.stringify(from)} are nested in one container: copy to a prefix outside the source (or to another container)`,
    );
  }
  const context = {
    operation: "copy directory",
    resource: `container '${source.containerName}'${from ? ` under '${from}'` : ""} to container '${destination.containerName}'${to ? ` under '${to}'` : ""}`,
  };
  const { filter } = settings;
  const deleteExtraneous = options.deleteExtraneous === true;
  const authorization = options.sourceAuthorization ?? sourceSas(source, lifetimeMs);

  /** Compares one source directory with its destination directory. */
  const scan = async (at: CopyFolder, sink: Sink): Promise<CopyFolder[]> => {
    const { signal } = sink;
    const [sources, targets] = await Promise.all([
      listRemoteLevel(source, from, at.source, filter, signal, at.sourceKnown),
      at.exists
        ? listRemoteLevel(destination, to, at.target, filter, signal, at.targetKnown)
        : emptyLevel(),
    ]);
    for (const [key, entry] of sources.files) {
      // Names are kept exactly (no Unicode normalization): a copy is the same blob under a new prefix.
      const target = `${at.target}${key}`;
      const item = { name: target, path: entry.name, size: entry.size };
      const problem = blobNameProblem(target);
      if (problem !== undefined) {
        sink.fail(item, invalidArgument("blob name", `${JSON.stringify(entry.name)}: ${problem}`));
        continue;
      }
      const existing = targets.files.get(key);
      targets.files.delete(key);
      const decision = !existing ? "transfer" : decide(settings.overwrite, entry, existing);
      if (decision !== "transfer") {
        sink.skip({ ...item, reason: decision });
        continue;
      }
      await sink.transfer({
        item,
        run: (taskSignal, onBytes) =>
          settings.budget.run(
            0,
            async () => {
              await copyBlob(source.getBlobClient(entry.name), destination.getBlobClient(target), {
                signal: taskSignal,
                onProgress: ({ loaded }) => onBytes(loaded),
                ...(authorization ? { sourceAuthorization: authorization } : {}),
              });
            },
            { signal: taskSignal },
          ),
      });
    }
    const next = [...sources.folders].map((key): CopyFolder => {
      const sourceKnown = sources.known.get(key);
      const targetKnown = targets.known.get(key);
      return {
        source: `${at.source}${key}/`,
        target: `${at.target}${key}/`,
        exists: targets.folders.delete(key),
        ...(sourceKnown ? { sourceKnown } : {}),
        ...(targetKnown ? { targetKnown } : {}),
      };
    });
    if (deleteExtraneous) {
      // What the source no longer has: the blobs left unmatched, and whole directories it lacks.
      await reportExtraneousBlobs(destination, to, at.target, targets, filter, sink);
    }
    return next;
  };
  return march(
    {
      context,
      ends: {
        source: `${withoutQuery(source.url)}/${from}`,
        destination: `${withoutQuery(destination.url)}/${to}`,
      },
      roots: [
        { source: from, target: to, exists: settings.overwrite !== "always" || deleteExtraneous },
      ],
      scan,
      deleteExtraneous: (items, report) =>
        deleteExtraneousBlobs(destination, items, report, settings.signal),
    },
    settings,
    started,
  );
}

/** A source directory and the destination directory it maps to. */
interface CopyFolder {
  /** The source's virtual directory, ending in "/" (or "" for the container's root). */
  source: string;
  /** The destination's. */
  target: string;
  /** Whether the destination may hold blobs under `target` (if not, it is not listed). */
  exists: boolean;
  /** Every blob under `source`, when the listing of a directory above returned them all. */
  sourceKnown?: KnownSubtree;
  /** Every blob under `target`, likewise. */
  targetKnown?: KnownSubtree;
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
