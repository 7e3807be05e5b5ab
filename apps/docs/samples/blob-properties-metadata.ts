/**
 * Manage blob properties and metadata: read typed properties, change some HTTP headers without
 * clearing the others, replace metadata, and update it safely while others write too.
 *
 * Run against the embedded emulator by `pnpm start`; tested by
 * `test/blob-properties-metadata.test.ts`.
 */
import type { BlobClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import {
  getBlobProperties,
  setBlobHttpHeaders,
  setBlobMetadata,
  updateBlobMetadata,
} from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Manage blob properties and metadata", order: 34 };

// #region get-properties
/** Everything about a blob in one request: size, headers, metadata, tier, lease, last copy. */
export async function describeBlob(blob: BlobClient) {
  const props = await getBlobProperties(blob);
  console.log(
    `${props.name}: ${props.contentLength} bytes, ${props.contentType}, ` +
      `tier ${props.accessTier}, ETag ${props.etag}`,
  );
  return props;
}
// #endregion get-properties

// #region set-headers
/** Make the browser download it, and cache it for an hour; the other headers stay as they are. */
export async function serveAsDownload(blob: BlobClient, fileName: string) {
  const { httpHeaders } = await setBlobHttpHeaders(blob, {
    contentDisposition: `attachment; filename="${fileName}"`,
    cacheControl: "public, max-age=3600",
  });
  return httpHeaders; // contentType, contentMD5, ... are unchanged
}
// #endregion set-headers

// #region set-metadata
/** Replace all metadata (names are C# identifiers; values printable ASCII; 8 KiB in all). */
export async function labelBlob(blob: BlobClient) {
  await setBlobMetadata(blob, { department: "finance", ReviewedOn: "2024-05-01" });
  try {
    await setBlobMetadata(blob, { "reviewed-by": "ana" }); // "-" is not allowed in a name
  } catch (error) {
    if (isStorageError(error, "InvalidArgument")) return error.message; // nothing was sent
    throw error;
  }
  return undefined;
}
// #endregion set-metadata

// #region update-metadata
/** Count downloads in metadata: concurrent updates are retried on 412, none is lost. */
export async function countDownload(blob: BlobClient) {
  const { metadata, attempts } = await updateBlobMetadata(blob, (current) => ({
    ...current,
    downloads: String(Number(current.downloads ?? "0") + 1),
  }));
  if (attempts > 1) console.log(`someone else wrote meanwhile; took ${attempts} attempts`);
  return Number(metadata.downloads);
}
// #endregion update-metadata

// #region if-match
/** Change headers only if nobody changed the blob since you read it. */
export async function setTypeIfUnchanged(blob: BlobClient, etag: string, contentType: string) {
  try {
    await setBlobHttpHeaders(blob, { contentType }, { ifMatch: etag });
    return true;
  } catch (error) {
    if (isStorageError(error, "PreconditionFailed")) return false; // read it again and decide
    throw error;
  }
}
// #endregion if-match

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-props");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  try {
    const blob = container.getBlockBlobClient("q1.pdf");
    await blob.upload("%PDF-1.7", 8, { blobHTTPHeaders: { blobContentType: "application/pdf" } });
    const before = await describeBlob(blob);
    const headers = await serveAsDownload(blob, "Q1 report.pdf");
    const refused = await labelBlob(blob);
    const counts = await Promise.all(Array.from({ length: 4 }, () => countDownload(blob)));
    const after = await describeBlob(blob);
    return {
      before: { contentType: before.contentType, metadata: before.metadata },
      headers,
      refused,
      counts: counts.sort(),
      after: { metadata: after.metadata, tier: after.accessTier },
      staleWrite: await setTypeIfUnchanged(blob, before.etag, "text/plain"),
      freshWrite: await setTypeIfUnchanged(blob, after.etag, "application/pdf"),
    };
  } finally {
    await deleteContainer(container);
  }
}
