/**
 * Use BlobKit in a browser, the page's part: connect with the SAS the server handed out, upload
 * the File a user picked (in blocks, checksummed, cancellable, with progress), and read a blob
 * back, checked against its stored MD5, into memory or streamed into a file on the user's disk.
 *
 * Bundled into a page and run in headless Chromium by `apps/e2e/test/browser.test.ts`; run on
 * Node.js (which has File and fetch too) by `pnpm start` through `browser.ts`.
 */
import type { ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect } from "@blobkit/auth";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";
// #endregion imports

/** What the server hands the page: see `uploadGrant` in browser.ts. */
export interface UploadGrant {
  /** The container's URL, without a SAS. */
  containerUrl: string;
  container: string;
  /** A SAS for that container only, valid for minutes. */
  sasToken: string;
}

// #region connect
/** Connects with the grant; `verify` checks the SAS against its container before any upload. */
export async function connectWithGrant(grant: UploadGrant): Promise<ContainerClient> {
  const service = await connect({
    method: "sas",
    accountUrl: grant.containerUrl,
    sasToken: grant.sasToken,
    verify: true,
    allowHttp: grant.containerUrl.startsWith("http://127.0.0.1"), // the emulator only
  });
  return service.getContainerClient(grant.container);
}
// #endregion connect

// #region upload-file
/**
 * Uploads a File from an `<input type="file">` or a drop. Files above 4 MiB go in 4 MiB blocks,
 * 4 at a time (smaller than the 32 MiB single request of the default: a page's progress bar moves
 * more often, and a retry over a weak connection resends 4 MiB). Each block carries its MD5,
 * which the service checks, and the blob gets its whole-blob MD5. `signal` comes from the page's
 * Cancel button: cancelling commits nothing, and uploading the same file again (after a cancel, a
 * failure or a reload) sends only the blocks the service does not hold yet.
 */
export async function uploadUserFile(
  container: ContainerClient,
  file: File,
  onPercent: (percent: number) => void,
  signal?: AbortSignal,
) {
  return uploadBlob(container, `uploads/${file.name}`, file, {
    contentType: file.type || "application/octet-stream",
    metadata: { originalname: encodeURIComponent(file.name) },
    overwrite: false,
    blockSize: 4 * 1024 * 1024,
    maxSingleShotSize: 4 * 1024 * 1024,
    onProgress: ({ loaded, total }) => onPercent(total ? Math.floor((loaded / total) * 100) : 0),
    ...(signal ? { signal } : {}),
  });
}
// #endregion upload-file

// #region download
/**
 * Reads a blob back into memory, checked against the MD5 stored with it: a `Uint8Array` to
 * show (`URL.createObjectURL(new Blob([content]))`) or hand to a viewer.
 */
export async function readBack(container: ContainerClient, name: string) {
  const { content, contentType, verification } = await downloadBlob(container.getBlobClient(name), {
    to: "bytes",
  });
  return { content, contentType, verification };
}
// #endregion download

// #region download-to-disk
/**
 * Streams a blob of any size into a file on the user's disk, never whole in memory: `file` is
 * the writable of a `FileSystemFileHandle` (`await handle.createWritable()`, the handle from
 * `showSaveFilePicker()` or the origin private file system). The ranges are read in order, a few
 * ahead of the disk. If the bytes do not match the stored MD5, the stream errors after its last
 * byte and `pipeTo` aborts the writable, which discards what it wrote: the file keeps what it
 * held before.
 */
export async function saveToDisk(
  container: ContainerClient,
  name: string,
  file: WritableStream<Uint8Array>,
) {
  const { stream, contentLength, verification } = await downloadBlob(
    container.getBlobClient(name),
    { to: "web-stream" },
  );
  await stream.pipeTo(file);
  return { contentLength, verification };
}
// #endregion download-to-disk
