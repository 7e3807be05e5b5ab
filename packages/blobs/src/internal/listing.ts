// What listBlobs and listBlobsByHierarchy share: their options checked and turned into the SDK's,
// the SDK's items made honest to their type, and the service's name order.
import type { BlobItem, ContainerListBlobsOptions } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { describeValue, invalidArgument, sdkOptions } from "@blobkit/auth/kit";
import type { ListBlobsInclude } from "../types.js";

/** The listing options both listings take (`ListBlobsOptions`), as checked here. */
export interface ListingOptions extends OperationOptions {
  prefix?: string;
  include?: readonly ListBlobsInclude[];
}

const INCLUDE_OPTION: Record<ListBlobsInclude, keyof ContainerListBlobsOptions> = {
  metadata: "includeMetadata",
  tags: "includeTags",
  snapshots: "includeSnapshots",
  versions: "includeVersions",
  deleted: "includeDeleted",
  uncommitted: "includeUncommitedBlobs",
  copy: "includeCopy",
};

/** Checks `prefix` and `include` and returns the SDK's listing options. */
export function listOptions(options: ListingOptions): ContainerListBlobsOptions {
  const { prefix, include = [] } = options;
  if (prefix !== undefined && typeof prefix !== "string") {
    throw invalidArgument("prefix", "must be a string");
  }
  if (!Array.isArray(include)) {
    throw invalidArgument("include", 'must be an array, e.g. ["metadata", "tags"]');
  }
  const result: ContainerListBlobsOptions = { ...sdkOptions(options) };
  if (prefix) result.prefix = prefix;
  for (const item of include) {
    const option =
      typeof item === "string" && Object.hasOwn(INCLUDE_OPTION, item)
        ? INCLUDE_OPTION[item as ListBlobsInclude]
        : undefined;
    if (!option) {
      throw invalidArgument(
        "include",
        `${describeValue(item)} is not one of ${Object.keys(INCLUDE_OPTION).join(", ")}`,
      );
    }
    (result as Record<string, unknown>)[option] = true;
  }
  return result;
}

/** Makes the SDK's item honest to its type: `deleted` and `snapshot` are absent when not listed. */
export function normalizeItem(item: BlobItem): BlobItem {
  return { ...item, deleted: item.deleted === true, snapshot: item.snapshot ?? "" };
}

/** Orders names the way the service does (by UTF-8 bytes). */
export function compareNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 code units order like code points, hence like UTF-8 bytes, except a surrogate (half
    // of a code point above U+FFFF), which sorts after every other unit, U+E000-U+FFFF included.
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate === ySurrogate) return x < y ? -1 : 1;
    return xSurrogate ? 1 : -1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Merges two lists, each already in the service's order, into one in that order. */
export function mergeByName<T extends { name: string }>(a: readonly T[], b: readonly T[]): T[] {
  if (a.length === 0) return [...b];
  if (b.length === 0) return [...a];
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as T;
    const y = b[j] as T;
    if (compareNames(x.name, y.name) <= 0) {
      merged.push(x);
      i++;
    } else {
      merged.push(y);
      j++;
    }
  }
  for (; i < a.length; i++) merged.push(a[i] as T);
  for (; j < b.length; j++) merged.push(b[j] as T);
  return merged;
}
