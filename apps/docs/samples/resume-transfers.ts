/**
 * Resume interrupted transfers: a folder upload, a large file upload and a large file download
 * are each stopped part-way (aborted from their own progress, as a crash would stop them), then
 * run again: the folder skips the files already stored, the upload sends only the blocks the
 * service does not hold yet, and the download continues from its partial file. With a checkpoint,
 * the folder upload's run after the crash reports the whole upload, earlier files included.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/resume-transfers.test.ts`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlobClient, ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect, isStorageError, type Progress } from "@blobkit/auth";
import {
  type DownloadBlobOptions,
  downloadBlob,
  type UploadBlobOptions,
  uploadBlob,
} from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";
import { type UploadDirectoryOptions, uploadDirectory } from "@blobkit/transfer";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Resume interrupted transfers", order: 25 };

const MiB = 1024 * 1024;

// #region upload-folder
/** The same call the first time and after a crash: files already stored are skipped. */
export async function uploadPhotos(container: ContainerClient, folder: string) {
  const result = await uploadDirectory(container, folder, { prefix: "photos" });
  console.log(`${result.skipped.length} already stored, ${result.transferred.length} sent now`);
  return result;
}
// #endregion upload-folder

// #region crash-folder
/** Stands in for a crash: stops the folder upload once `files` files are stored. */
export async function uploadPhotosUntilCrash(
  container: ContainerClient,
  folder: string,
  files: number,
  options: UploadDirectoryOptions = {},
) {
  const crash = new AbortController();
  try {
    await uploadDirectory(container, folder, {
      prefix: "photos",
      ...options,
      signal: crash.signal,
      progressIntervalMs: 0, // every report, not one per 200 ms
      onProgress: ({ filesDone }) => {
        if (filesDone >= files) crash.abort();
      },
    });
    return "completed";
  } catch (error) {
    if (isStorageError(error, "Aborted")) return "interrupted";
    throw error;
  }
}
// #endregion crash-folder

// #region checkpoint
/**
 * The same upload with a checkpoint file: run again after a crash, its progress starts where the
 * crashed run stopped, and its result counts the files that run stored as transferred.
 */
export async function uploadScans(container: ContainerClient, folder: string, checkpoint: string) {
  const result = await uploadDirectory(container, folder, {
    prefix: "scans",
    checkpoint, // e.g. join(stateFolder, "scans.checkpoint"), outside the folder uploaded
    onProgress: ({ filesDone, filesTotal }) => console.log(`${filesDone} of ${filesTotal} files`),
  });
  const earlier = result.earlierRuns;
  console.log(
    `${result.transferred.length} files uploaded, ${earlier?.files ?? 0} of them by ${earlier?.runs ?? 0} earlier run(s)`,
  );
  return result;
}
// #endregion checkpoint

// #region crash
/**
 * Stands in for a crash of one transfer: runs it with a signal that its own progress aborts
 * once `bytes` are done.
 */
export async function interruptAfter(
  bytes: number,
  run: (options: {
    signal: AbortSignal;
    onProgress: (progress: Progress) => void;
  }) => Promise<unknown>,
) {
  const crash = new AbortController();
  try {
    await run({
      signal: crash.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= bytes) crash.abort();
      },
    });
    return "completed";
  } catch (error) {
    if (isStorageError(error, "Aborted")) return "interrupted";
    throw error;
  }
}
// #endregion crash

// #region upload-large-file
/**
 * A large file, in blocks. Run it again after a crash and only the blocks the service does not
 * hold yet are sent. (1 MiB blocks here, to get several from a small file; the default is 8 MiB
 * for files over 32 MiB.)
 */
export async function uploadRecording(
  container: ContainerClient,
  path: string,
  options: UploadBlobOptions = {},
) {
  const result = await uploadBlob(
    container,
    "recordings/session.bin",
    { path },
    { blockSize: MiB, maxSingleShotSize: MiB, ...options },
  );
  console.log(
    `${result.blockCount} blocks committed; ${result.resumedBlocks} (${result.resumedBytes} bytes) were staged by an earlier run`,
  );
  return result;
}
// #endregion upload-large-file

// #region download-large-file
/**
 * A large blob to a file. Run it again after a crash and it continues from the partial file,
 * if the blob has not changed since. (1 MiB ranges here; 16 MiB by default.)
 */
export async function downloadRecording(
  blob: BlobClient,
  path: string,
  options: DownloadBlobOptions = {},
) {
  const result = await downloadBlob(blob, { path }, { rangeSize: MiB, concurrency: 2, ...options });
  console.log(
    `${result.contentLength} bytes, ${result.resumedBytes ?? 0} of them kept from an earlier run (${result.verification})`,
  );
  return result;
}
// #endregion download-large-file

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-resume");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  const root = await mkdtemp(join(tmpdir(), "blobkit-resume-"));
  try {
    // A folder of 100 small files, interrupted after 10 of them.
    const photos = join(root, "photos");
    await mkdir(photos);
    for (let i = 0; i < 100; i++) {
      await writeFile(join(photos, `img-${String(i).padStart(3, "0")}.jpg`), randomBytes(4096));
    }
    const folderCrash = await uploadPhotosUntilCrash(container, photos, 10);
    const folderResumed = await uploadPhotos(container, photos);
    const folderAgain = await uploadPhotos(container, photos);

    // Another folder, with a checkpoint: interrupted after 10 files, then run again.
    const scans = join(root, "scans");
    await mkdir(scans);
    for (let i = 0; i < 50; i++) {
      await writeFile(join(scans, `scan-${String(i).padStart(3, "0")}.png`), randomBytes(4096));
    }
    const checkpoint = join(root, "scans.checkpoint");
    const scansCrash = await uploadPhotosUntilCrash(container, scans, 10, {
      prefix: "scans",
      checkpoint,
    });
    const checkpointAfterCrash = (await readdir(root)).includes("scans.checkpoint");
    const scansResumed = await uploadScans(container, scans, checkpoint);
    const checkpointAfterResume = (await readdir(root)).includes("scans.checkpoint");

    // An 8 MiB file in 1 MiB blocks, interrupted after 3 MiB.
    const recording = join(root, "session.bin");
    await writeFile(recording, randomBytes(8 * MiB));
    const uploadCrash = await interruptAfter(3 * MiB, (options) =>
      uploadRecording(container, recording, { concurrency: 2, ...options }),
    );
    const uploaded = await uploadRecording(container, recording);

    // The same blob downloaded in 1 MiB ranges, interrupted after 3 MiB.
    const downloads = join(root, "downloads");
    await mkdir(downloads);
    const target = join(downloads, "session.bin");
    const blob = container.getBlobClient("recordings/session.bin");
    const downloadCrash = await interruptAfter(3 * MiB, (options) =>
      downloadRecording(blob, target, options),
    );
    const leftAfterCrash = (await readdir(downloads)).sort();
    const downloaded = await downloadRecording(blob, target);
    const leftAfterResume = await readdir(downloads);
    const identical = (await readFile(target)).equals(await readFile(recording));
    return {
      folderCrash,
      folderResumed,
      folderAgain,
      scansCrash,
      checkpointAfterCrash,
      scansResumed,
      checkpointAfterResume,
      uploadCrash,
      uploaded,
      downloadCrash,
      leftAfterCrash,
      downloaded,
      leftAfterResume,
      identical,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
    await deleteContainer(container);
  }
}
