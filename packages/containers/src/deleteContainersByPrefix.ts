// Delete every container whose name starts with a prefix: bounded concurrency, one result per
// container, and a loud error (never a silent stop) if listing fails or the signal fires.
import type { BlobServiceClient } from "@azure/storage-blob";
import { isStorageError, type ProgressOptions, StorageError, toStorageError } from "@blobkit/auth";
import { checkInteger, invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import { deleteContainer } from "./deleteContainer.js";
import { checkOptions, checkPrefix, checkService } from "./internal/validateOptions.js";
import { listContainers } from "./listContainers.js";

/** Options of {@link deleteContainersByPrefix}. */
export interface DeleteContainersByPrefixOptions extends ProgressOptions {
  /**
   * How many deletions run at once, 1-64.
   * @defaultValue 5
   */
  concurrency?: number;
  /**
   * Containers per listing request, 1-5000.
   * @defaultValue 1000
   */
  pageSize?: number;
}

/** What happened to one container. */
export interface DeleteContainerOutcome {
  /** The container name. */
  name: string;
  /** `"deleted"` (also when it vanished between listing and deletion) or `"failed"`. */
  status: "deleted" | "failed";
  /** Why it failed, when it did. */
  error?: StorageError;
}

/** What {@link deleteContainersByPrefix} returns. */
export interface DeleteContainersByPrefixResult {
  /** One entry per container that matched, sorted by name. */
  results: DeleteContainerOutcome[];
  /** How many were deleted. */
  deleted: number;
  /** How many failed; their errors are in `results`. */
  failed: number;
}

/**
 * Deletes every container whose name starts with `prefix`, a few at a time, and returns one
 * result per container: a container that cannot be deleted (a lease, a permission) is reported
 * as `failed` with its error while the others go on. The prefix is required and must be able to
 * match a container name, so an empty or mistyped prefix never deletes the whole account. If the
 * listing itself fails or `signal` fires, it stops starting deletions, waits for those under way
 * and throws a {@link @blobkit/auth!StorageError} saying how many were deleted, so it never stops
 * half-way silently. `onProgress` reports the number of containers handled so far.
 *
 * @see [Delete and restore containers: Delete every container with a prefix](../../../apps/docs/guides/delete-restore-containers.md#delete-every-container-with-a-prefix)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { deleteContainersByPrefix } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * const { deleted, failed, results } = await deleteContainersByPrefix(service, "ci-run-", {
 *   concurrency: 8,
 * });
 * for (const r of results) if (r.status === "failed") console.error(r.name, r.error?.message);
 * ```
 */
export async function deleteContainersByPrefix(
  service: BlobServiceClient,
  prefix: string,
  options?: DeleteContainersByPrefixOptions,
): Promise<DeleteContainersByPrefixResult> {
  const operation = "delete containers by prefix";
  const svc = checkService(service, operation);
  if (typeof prefix !== "string" || prefix === "") {
    throw invalidArgument(
      "prefix",
      "must be a non-empty string: deleting by prefix never deletes every container of an account",
    );
  }
  checkPrefix(prefix);
  const opts = checkOptions(options);
  const concurrency = checkInteger("concurrency", opts.concurrency, { min: 1, max: 64 }, 5);
  const pageSize = checkInteger("pageSize", opts.pageSize, { min: 1, max: 5000 }, 1000);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== "function") {
    throw invalidArgument("onProgress", "must be a function");
  }
  throwIfAborted(opts.signal, operation);

  const signal = opts.signal;
  const listing = listContainers(svc, {
    prefix,
    pageSize,
    ...(signal ? { signal } : {}),
  });
  const results: DeleteContainerOutcome[] = [];
  let listingError: StorageError | undefined;

  async function nextName(): Promise<string | undefined> {
    if (listingError || signal?.aborted) return undefined;
    try {
      // Concurrent next() calls on one async generator are queued, so each name goes to one worker.
      const next = await listing.next();
      return next.done ? undefined : next.value.name;
    } catch (error) {
      listingError ??= toStorageError(error, { operation, client: svc, access: "list" });
      return undefined;
    }
  }

  async function worker(): Promise<void> {
    for (let name = await nextName(); name !== undefined; name = await nextName()) {
      try {
        await deleteContainer(svc.getContainerClient(name), signal ? { signal } : {});
        results.push({ name, status: "deleted" });
      } catch (error) {
        if (isStorageError(error, "NotFound")) {
          results.push({ name, status: "deleted" });
        } else {
          results.push({ name, status: "failed", error: toStorageError(error, { operation }) });
        }
      }
      opts.onProgress?.({ loaded: results.length });
    }
  }

  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const deleted = results.filter((r) => r.status === "deleted").length;
  const failed = results.length - deleted;
  const summary = `after deleting ${deleted} container${deleted === 1 ? "" : "s"} with prefix '${prefix}' (${failed} failed)`;
  if (listingError) {
    throw new StorageError(
      listingError.code,
      `Delete containers by prefix stopped ${summary}: listing failed. ${listingError.message} Run it again to delete the rest.`,
      {
        operation,
        ...(listingError.statusCode !== undefined ? { statusCode: listingError.statusCode } : {}),
        ...(listingError.serviceCode !== undefined
          ? { serviceCode: listingError.serviceCode }
          : {}),
        ...(listingError.requestId !== undefined ? { requestId: listingError.requestId } : {}),
        cause: listingError,
      },
    );
  }
  if (signal?.aborted) {
    throw new StorageError(
      "Aborted",
      `Delete containers by prefix was cancelled by its AbortSignal ${summary}. Run it again to delete the rest.`,
      { operation },
    );
  }
  return { results, deleted, failed };
}
