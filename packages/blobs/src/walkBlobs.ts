// Walk a container's virtual directory tree depth-first, for tree views and recursive tools.

import type { ContainerClient } from "@azure/storage-blob";
import { invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import {
  type BlobHierarchyItem,
  type ListBlobsByHierarchyOptions,
  listBlobsByHierarchy,
} from "./listBlobsByHierarchy.js";

/** An item of {@link walkBlobs}: a virtual directory or a blob, with its depth in the tree. */
export type WalkBlobsEntry = BlobHierarchyItem & {
  /** 0 for items directly under the starting prefix, 1 one level deeper, and so on. */
  readonly depth: number;
};

/** Options of {@link walkBlobs}. */
export interface WalkBlobsOptions extends ListBlobsByHierarchyOptions {
  /**
   * How many levels to descend below the starting prefix; prefixes at the last level are yielded
   * but not opened. `0` lists one level, like {@link listBlobsByHierarchy}.
   * @defaultValue `Infinity`
   */
  maxDepth?: number;
  /**
   * Decides whether to open a virtual directory; return `false` to skip its contents (the prefix
   * itself is still yielded).
   * @defaultValue open every directory
   */
  descend?: (prefix: string, depth: number) => boolean;
}

/**
 * Walks a container's virtual directories depth-first: each prefix is yielded, then its contents,
 * before its next sibling, which is the order a tree view or `tree`-like output needs. One listing
 * request per directory page; only the pages on the current path are held in memory.
 *
 * @see [List blobs: Walk the whole tree](../../../apps/docs/guides/list-blobs.md#walk-the-whole-tree)
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { walkBlobs } from "@blobkit/blobs";
 *
 * declare const container: ContainerClient;
 * for await (const entry of walkBlobs(container, { prefix: "reports/" })) {
 *   console.log(`${"  ".repeat(entry.depth)}${entry.name}`);
 * }
 * ```
 */
export function walkBlobs(
  container: ContainerClient,
  options: WalkBlobsOptions = {},
): AsyncIterable<WalkBlobsEntry> {
  const { maxDepth = Number.POSITIVE_INFINITY, descend, ...listing } = options;
  if (typeof maxDepth !== "number" || Number.isNaN(maxDepth) || maxDepth < 0) {
    throw invalidArgument("maxDepth", "must be a number >= 0");
  }
  if (descend !== undefined && typeof descend !== "function") {
    throw invalidArgument("descend", "must be a function");
  }
  // Check the listing options now, before any request, rather than at the first iteration.
  listBlobsByHierarchy(container, listing);
  async function* walk(prefix: string | undefined, depth: number): AsyncGenerator<WalkBlobsEntry> {
    throwIfAborted(listing.signal, "walk blobs");
    const level = listBlobsByHierarchy(container, {
      ...listing,
      ...(prefix !== undefined ? { prefix } : {}),
    });
    for await (const item of level) {
      yield { ...item, depth };
      if (item.kind === "prefix" && depth < maxDepth && (descend?.(item.name, depth) ?? true)) {
        yield* walk(item.name, depth + 1);
      }
    }
  }
  return walk(listing.prefix, 0);
}
