/**
 * Performance tuning for data transfers: see how an upload will be split, trade memory for
 * speed, upload over slow links, give streams their size, tune parallel downloads, and measure
 * throughput.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/performance-tuning.test.ts`.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlobClient, BlobServiceClient, ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect } from "@blobkit/auth";
import {
  chooseBlockSize,
  DEFAULT_DOWNLOAD_OPTIONS,
  DEFAULT_UPLOAD_CONCURRENCY,
  downloadBlob,
  uploadBlob,
} from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Performance tuning for data transfers", order: 22 };

const MiB = 1024 * 1024;

// #region plan
/** How would a file of this size be uploaded, and how much memory would it take? */
export function describePlan(
  size: number,
  options: { blockSize?: number; concurrency?: number } = {},
) {
  const plan = chooseBlockSize(size, options);
  const concurrency = options.concurrency ?? DEFAULT_UPLOAD_CONCURRENCY;
  const memory = plan.singleShot ? size : plan.blockSize * (concurrency + 1);
  console.log(
    plan.singleShot
      ? `${size} bytes: one request`
      : `${size} bytes: ${plan.blockCount} blocks of ${plan.blockSize / MiB} MiB, about ${Math.round(memory / MiB)} MiB of memory`,
  );
  return { ...plan, memory };
}
// #endregion plan

// #region upload-fast
/** A fast network and memory to spare: bigger blocks, more in flight (about 144 MiB). */
export async function uploadOnFastNetwork(container: ContainerClient, path: string) {
  return uploadBlob(
    container,
    "backups/db.bak",
    { path },
    {
      blockSize: 16 * MiB,
      concurrency: 8,
    },
  );
}
// #endregion upload-fast

// #region upload-small-memory
/** A small container or function: a few MiB of buffers whatever the file size. */
export async function uploadWithLittleMemory(container: ContainerClient, path: string) {
  return uploadBlob(
    container,
    "backups/db-small.bak",
    { path },
    {
      blockSize: 2 * MiB,
      concurrency: 2,
      maxSingleShotSize: 2 * MiB, // also bounds what is buffered before deciding on a stream
    },
  );
}
// #endregion upload-small-memory

// #region slow-link
/**
 * A slow link (say 20 KB/s): allow each block to drain at that speed, and send smaller blocks,
 * fewer at a time.
 */
export async function connectForSlowLink(connectionString: string) {
  return connect({
    method: "connectionString",
    connectionString,
    retry: { tryTimeoutMs: 60_000, minUploadBytesPerSecond: 16 * 1024 },
  });
}

export async function uploadOnSlowLink(
  service: BlobServiceClient,
  container: string,
  path: string,
) {
  return uploadBlob(
    service.getContainerClient(container),
    "uploads/field-data.bin",
    { path },
    {
      blockSize: 1 * MiB, // ~50 s to send at 20 KB/s, then 60 s + 64 s to drain
      concurrency: 2,
    },
  );
}
// #endregion slow-link

// #region stream-size
/** A stream whose length you know: pass it, for exact blocks, a progress total and a check. */
export async function uploadKnownLengthStream(container: ContainerClient, path: string) {
  const { size } = await stat(path);
  return uploadBlob(container, "backups/db-stream.bak", createReadStream(path), {
    size,
    onProgress: ({ loaded, total }) => console.log(`${Math.round((100 * loaded) / (total ?? 1))}%`),
  });
}
// #endregion stream-size

// #region download-tuned
/** Parallel ranged reads into a file; memory does not grow with rangeSize or concurrency. */
export async function downloadOnFastNetwork(blob: BlobClient, path: string) {
  console.log(DEFAULT_DOWNLOAD_OPTIONS); // { concurrency: 8, rangeSize: 16 MiB, ... }
  return downloadBlob(blob, { path }, { concurrency: 16, rangeSize: 32 * MiB });
}
// #endregion download-tuned

// #region measure
/** Measure throughput from progress events to compare settings on your own network. */
export async function measureUpload(container: ContainerClient, path: string, blockSize: number) {
  const started = performance.now();
  let bytes = 0;
  await uploadBlob(
    container,
    `measure/${blockSize}`,
    { path },
    {
      blockSize,
      onProgress: ({ loaded }) => {
        bytes = loaded;
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const megabytesPerSecond = bytes / 1e6 / seconds;
  console.log(`blockSize ${blockSize / MiB} MiB: ${megabytesPerSecond.toFixed(0)} MB/s`);
  return megabytesPerSecond;
}
// #endregion measure

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-tuning");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  const folder = await mkdtemp(join(tmpdir(), "blobkit-tuning-"));
  try {
    const plans = {
      small: describePlan(10 * MiB),
      gigabyte: describePlan(1024 * MiB),
      huge: describePlan(1024 * 1024 * MiB),
      tuned: describePlan(1024 * MiB, { blockSize: 16 * MiB, concurrency: 8 }),
    };
    const path = join(folder, "db.bak");
    await writeFile(path, randomBytes(40 * MiB));
    const fast = await uploadOnFastNetwork(container, path);
    const small = await uploadWithLittleMemory(container, path);
    const slowService = await connectForSlowLink(env.azurite.connectionString);
    const slow = await uploadOnSlowLink(slowService, name, path);
    const streamed = await uploadKnownLengthStream(container, path);
    const downloaded = await downloadOnFastNetwork(
      container.getBlobClient("backups/db.bak"),
      join(folder, "restored.bak"),
    );
    const throughput = await measureUpload(container, path, 8 * MiB);
    return { plans, fast, small, slow, streamed, downloaded, throughput };
  } finally {
    await rm(folder, { recursive: true, force: true });
    await deleteContainer(container);
  }
}
