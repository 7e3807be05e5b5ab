// Blob metadata names in their stored case. Get Blob Properties carries metadata as `x-ms-meta-*`
// headers, whose names Node.js lower-cases; List Blobs (XML) keeps them as written. With `prefix`
// set to the blob's name, that blob is the first result (a string sorts before any longer string
// it is a prefix of), so one extra, one-item request restores the case.
import type { BlobClient, ListBlobsFlatSegmentResponse } from "@azure/storage-blob";
import { isStorageError } from "@blobkit/auth";
import { containerClientOf, restoreMetadataCase, sdkOptions } from "@blobkit/auth/kit";
import type { Metadata } from "@blobkit/containers";
import { blobContext, runBlobOperation } from "./errors.js";

/** Items per page when a snapshot's or version's entry is looked for among the blob's others. */
const SCAN_PAGE_SIZE = 100;

/** The snapshot or version a client's URL points at, if any. */
function pointsAt(blob: BlobClient): { snapshot?: string; versionId?: string } {
  const query = new URL(blob.url).searchParams;
  const snapshot = query.get("snapshot");
  const versionId = query.get("versionid");
  return snapshot ? { snapshot } : versionId ? { versionId } : {};
}

/**
 * `metadata` (from a Get Blob Properties response) with its names in their stored case. Empty
 * metadata costs no request. A client on a snapshot or version lists the blob's snapshots or
 * versions and takes that entry's names. A credential that may not list the container (a SAS for
 * one blob) gets 403, a blob deleted meanwhile 404, and a client the SDK did not make no
 * container: then, and when the entry is not found, the names stay lower-case.
 */
export async function withStoredCase(
  blob: BlobClient,
  metadata: Metadata,
  signal: AbortSignal | undefined,
): Promise<Metadata> {
  if (Object.keys(metadata).length === 0) return metadata;
  const container = containerClientOf(blob);
  if (!container) return metadata;
  const { snapshot, versionId } = pointsAt(blob);
  const isMine = (item: ListBlobsFlatSegmentResponse["segment"]["blobItems"][number]) =>
    item.name === blob.name &&
    (snapshot !== undefined
      ? item.snapshot === snapshot
      : versionId !== undefined
        ? item.versionId === versionId
        : !item.snapshot);
  let names: string[] | undefined;
  try {
    names = await runBlobOperation(
      blobContext(blob, "list blobs (for the case of metadata names)", "list"),
      async () => {
        const pages = container
          .listBlobsFlat({
            prefix: blob.name,
            includeMetadata: true,
            includeSnapshots: snapshot !== undefined,
            includeVersions: versionId !== undefined,
            ...sdkOptions(signal ? { signal } : {}),
          })
          .byPage({ maxPageSize: snapshot || versionId ? SCAN_PAGE_SIZE : 1 });
        for await (const page of pages) {
          for (const item of page.segment.blobItems) {
            if (isMine(item)) return Object.keys(item.metadata ?? {});
            // Past the blob's own entries (snapshots and versions come with it): not listed.
            if (item.name !== blob.name) return undefined;
          }
        }
        return undefined;
      },
    );
  } catch (error) {
    if (isStorageError(error) && (error.statusCode === 403 || error.statusCode === 404)) {
      return metadata;
    }
    throw error;
  }
  return names ? restoreMetadataCase(metadata, names) : metadata;
}
