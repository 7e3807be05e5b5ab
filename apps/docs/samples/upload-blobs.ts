/**
 * Upload blobs: text, a file with metadata, tags and tier, a compressed stream, a web stream,
 * a blob that must not be overwritten, progress, cancellation, and the checksums that are sent
 * and stored.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/upload-blobs.test.ts`.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { createGzip } from "node:zlib";
import type { ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect, isStorageError } from "@blobkit/auth";
import { uploadBlob } from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Upload blobs", order: 20 };

// #region upload-text
/** A string is sent as UTF-8; the content type comes from the name (`application/json`). */
export async function uploadSettings(container: ContainerClient, settings: object) {
  const result = await uploadBlob(container, "config/settings.json", JSON.stringify(settings));
  console.log(`uploaded ${result.contentLength} bytes, ETag ${result.etag}`);
  return result;
}
// #endregion upload-text

// #region upload-file
/** A file, with metadata, index tags, tier and cache headers set in the same call. */
export async function uploadReport(container: ContainerClient, path: string) {
  return uploadBlob(
    container,
    "reports/2024/q1.csv",
    { path },
    {
      metadata: { department: "finance", quarter: "Q1" },
      tags: { year: "2024", status: "final" },
      tier: "Cool",
      cacheControl: "private, max-age=3600",
      onProgress: ({ loaded, total }) => console.log(`${loaded} of ${total} bytes sent`),
    },
  );
}
// #endregion upload-file

// #region upload-stream
/** A Node.js stream of unknown size: here a file compressed on the fly. */
export async function uploadCompressed(container: ContainerClient, path: string) {
  const gzipped = createReadStream(path).pipe(createGzip());
  return uploadBlob(container, "logs/app.log.gz", gzipped, {
    contentType: "text/plain",
    contentEncoding: "gzip", // browsers and HTTP clients decompress it for you
  });
}
// #endregion upload-stream

// #region upload-web-stream
/** A web `ReadableStream`, e.g. from a `Blob`, a `File` or `fetch()`; pass `size` when known. */
export async function uploadFromBlob(container: ContainerClient, name: string, file: Blob) {
  return uploadBlob(container, name, file.stream(), {
    size: file.size,
    contentType: file.type || "application/octet-stream",
  });
}
// #endregion upload-web-stream

// #region no-overwrite
/** Create a blob only if it does not exist yet: a second writer gets `AlreadyExists`. */
export async function uploadOnce(container: ContainerClient, name: string, body: string) {
  try {
    await uploadBlob(container, name, body, { overwrite: false });
    return "created";
  } catch (error) {
    if (isStorageError(error, "AlreadyExists")) return "kept the existing blob";
    throw error;
  }
}
// #endregion no-overwrite

// #region cancel
/** Give up after a deadline; in-flight blocks stop at once and nothing is committed. */
export async function uploadWithDeadline(
  container: ContainerClient,
  name: string,
  source: Readable,
  ms: number,
) {
  try {
    return await uploadBlob(container, name, source, { signal: AbortSignal.timeout(ms) });
  } catch (error) {
    if (isStorageError(error, "Aborted")) console.error(`Upload of ${name} cancelled`);
    throw error;
  }
}
// #endregion cancel

// #region checksum
/**
 * A large export from a busy machine: each request carries a CRC-64 of its body instead of an
 * MD5 (about half the CPU); the whole-blob MD5 is stored either way.
 */
export async function uploadExport(container: ContainerClient, path: string) {
  const result = await uploadBlob(container, "exports/orders.csv", { path }, { checksum: "crc64" });
  const md5 = Buffer.from(result.contentMD5 ?? []).toString("base64");
  console.log(`stored with Content-MD5 ${md5}, which downloads check`);
  return result;
}
// #endregion checksum

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-upload");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  const folder = await mkdtemp(join(tmpdir(), "blobkit-upload-"));
  try {
    const csv = join(folder, "q1.csv");
    await writeFile(csv, "region,revenue\n".concat("north,100\n".repeat(10_000)));
    const log = join(folder, "app.log");
    await writeFile(log, "GET / 200\n".repeat(50_000));
    const settings = await uploadSettings(container, { theme: "dark", retries: 3 });
    const report = await uploadReport(container, csv);
    const compressed = await uploadCompressed(container, log);
    const fromBlob = await uploadFromBlob(
      container,
      "images/pixel.svg",
      new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: "image/svg+xml" }),
    );
    const first = await uploadOnce(container, "locks/daily-job", "started");
    const second = await uploadOnce(container, "locks/daily-job", "started again");
    // A source that never ends: the deadline cancels the upload.
    const endless = new PassThrough();
    endless.write("partial data");
    const cancelled = await uploadWithDeadline(container, "never.bin", endless, 200).catch(
      (error: unknown) => error,
    );
    const orders = join(folder, "orders.csv");
    await writeFile(orders, "id,total\n".concat("1001,25.00\n".repeat(20_000)));
    const exported = await uploadExport(container, orders);
    const ordersMD5 = createHash("md5")
      .update(await readFile(orders))
      .digest();
    // A multi-block upload stores its whole-blob MD5 too (BlobKit computes it while sending).
    const blocks = Buffer.alloc(3 * 1024 * 1024, 7);
    const multiBlock = await uploadBlob(container, "blocks.bin", blocks, {
      blockSize: 1024 * 1024,
      maxSingleShotSize: 1024 * 1024,
    });
    const multiBlockStored = (await container.getBlobClient("blocks.bin").getProperties())
      .contentMD5;
    const properties = await container.getBlobClient("reports/2024/q1.csv").getProperties();
    const tags = await container.getBlobClient("reports/2024/q1.csv").getTags();
    const exists = await container.getBlobClient("never.bin").exists();
    return {
      settings,
      report,
      compressed,
      fromBlob,
      first,
      second,
      cancelled,
      neverCommitted: !exists,
      exported,
      exportedMD5Matches: Buffer.from(exported.contentMD5 ?? []).equals(ordersMD5),
      multiBlock,
      multiBlockMD5Matches:
        multiBlockStored !== undefined &&
        Buffer.from(multiBlockStored).equals(createHash("md5").update(blocks).digest()),
      properties: {
        contentType: properties.contentType,
        metadata: properties.metadata,
        accessTier: properties.accessTier,
        cacheControl: properties.cacheControl,
        tags: tags.tags,
      },
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
    await deleteContainer(container);
  }
}
