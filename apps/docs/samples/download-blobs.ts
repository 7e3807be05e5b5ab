/**
 * Download blobs: to a string, to bytes, to a file with progress, as a stream read line by line,
 * into a Writable, a byte range, only when changed, settings for flaky networks, the check
 * against the stored MD5 (and a corrupted blob it catches), and file destination options.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/download-blobs.test.ts`.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { BlobClient } from "@azure/storage-blob";
// #region imports
import { connect, isStorageError } from "@blobkit/auth";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Download blobs", order: 21 };

// #region download-text
/** Small text: straight into a string (UTF-8 unless you pass another `encoding`). */
export async function readSettings(blob: BlobClient) {
  const { content, etag } = await downloadBlob(blob, { to: "string" });
  return { settings: JSON.parse(content) as Record<string, unknown>, etag };
}
// #endregion download-text

// #region download-bytes
/** Binary content into one Buffer, e.g. an image to resize in memory. */
export async function readImage(blob: BlobClient) {
  const { content, contentType } = await downloadBlob(blob, { to: "bytes" });
  return { bytes: content, contentType };
}
// #endregion download-bytes

// #region download-file
/** A large blob into a file: ranges in parallel, written in place, renamed when complete. */
export async function saveBackup(blob: BlobClient, path: string) {
  const result = await downloadBlob(
    blob,
    { path },
    {
      onProgress: ({ loaded, total }) => console.log(`${loaded} of ${total} bytes received`),
    },
  );
  console.log(`saved ${result.contentLength} bytes of version ${result.etag} to ${path}`);
  return result;
}
// #endregion download-file

// #region download-stream
/** A stream you consume at your own pace: count the lines of a CSV without loading it. */
export async function countLines(blob: BlobClient) {
  const { stream } = await downloadBlob(blob, { to: "stream" });
  let lines = 0;
  for await (const _line of createInterface({ input: stream, crlfDelay: Infinity })) lines++;
  return lines;
}
// #endregion download-stream

// #region download-web-stream
/**
 * A web ReadableStream, for APIs built on web streams: here, a gzipped HTTP `Response` that a
 * route handler (Hono, Next.js, a service worker) can return as it is.
 */
export async function gzippedResponse(blob: BlobClient): Promise<Response> {
  const { stream, contentType } = await downloadBlob(blob, { to: "web-stream" });
  return new Response(stream.pipeThrough(new CompressionStream("gzip")), {
    headers: {
      "content-type": contentType ?? "application/octet-stream",
      "content-encoding": "gzip",
    },
  });
}
// #endregion download-web-stream

// #region download-writable
/** Pipe into any Writable (an HTTP response, a compressor, a hash) with backpressure. */
export async function checksum(blob: BlobClient) {
  const hash = createHash("sha256");
  await downloadBlob(blob, { writable: hash });
  return hash.digest("hex");
}
// #endregion download-writable

// #region download-range
/** Only some bytes: the first kilobyte, e.g. to sniff a file's header. */
export async function readHeader(blob: BlobClient) {
  const { content, blobSize } = await downloadBlob(
    blob,
    { to: "bytes" },
    { range: { offset: 0, count: 1024 } },
  );
  return { header: content, blobSize };
}
// #endregion download-range

// #region download-if-changed
/** Download only when the blob changed since the copy you have (identified by its ETag). */
export async function refresh(blob: BlobClient, cached: { etag: string; text: string }) {
  try {
    const { content, etag } = await downloadBlob(
      blob,
      { to: "string" },
      { ifNoneMatch: cached.etag },
    );
    return { etag, text: content, changed: true };
  } catch (error) {
    if (isStorageError(error, "PreconditionFailed")) return { ...cached, changed: false };
    throw error;
  }
}
// #endregion download-if-changed

// #region flaky-network
/** On an unreliable link: resume more often, and give up on a silent connection sooner. */
export async function downloadOverFlakyLink(blob: BlobClient, path: string) {
  return downloadBlob(
    blob,
    { path },
    {
      maxResumes: 10, // dropped connections in a row without progress before failing
      stallTimeoutMs: 10_000, // no body bytes for 10 s: drop the connection and resume
      signal: AbortSignal.timeout(15 * 60_000), // and never more than 15 minutes in all
    },
  );
}
// #endregion flaky-network

// #region verified
/** Every whole-blob download is checked against the MD5 stored with the blob. */
export async function downloadChecked(blob: BlobClient, path: string) {
  const { verification } = await downloadBlob(blob, { path });
  // "verified", or why not: "no checksum stored", "range", "disabled" (verify: false)
  if (verification !== "verified") console.warn(`${blob.name} was not checked: ${verification}`);
  return verification;
}
// #endregion verified

// #region corrupt
/**
 * To see a mismatch without corrupting a disk: store a wrong Content-MD5 on a blob with the
 * SDK. (Never do this to real data.)
 */
export async function storeWrongChecksum(blob: BlobClient) {
  // Set Blob Properties replaces every HTTP header: keep the content type.
  const { contentType = "application/octet-stream" } = await blob.getProperties();
  await blob.setHTTPHeaders({
    blobContentType: contentType,
    blobContentMD5: createHash("md5").update("other bytes").digest(),
  });
}
// #endregion corrupt

// #region mismatch
/**
 * A mismatch fails with "ChecksumMismatch" and leaves no file. Try once more (bytes corrupted on
 * the way come right the second time); if it fails again, what is stored is wrong: keep the
 * bytes aside, unchecked, to look at, and upload the blob again from its source.
 */
export async function downloadOrQuarantine(blob: BlobClient, path: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return { outcome: "downloaded", ...(await downloadBlob(blob, { path })) };
    } catch (error) {
      if (!isStorageError(error, "ChecksumMismatch")) throw error;
      console.error(error.message);
      if (attempt === 2) {
        const suspect = `${path}.suspect`;
        const result = await downloadBlob(blob, { path: suspect }, { verify: false });
        return { outcome: "quarantined", suspect, ...result };
      }
    }
  }
}
// #endregion mismatch

// #region file-options
/** Into a folder that may not exist yet, readable by this user only. */
export async function saveCredentials(blob: BlobClient, path: string) {
  return downloadBlob(blob, {
    path,
    createFolders: true, // mkdir -p the folder
    mode: 0o600, // for a new file; a file it replaces keeps its own mode
    // resume: true and durable: true are the defaults
  });
}
// #endregion file-options

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-download");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  const folder = await mkdtemp(join(tmpdir(), "blobkit-download-"));
  try {
    const csv = "id,name\n".concat(
      Array.from({ length: 5000 }, (_, i) => `${i},item ${i}\n`).join(""),
    );
    await uploadBlob(container, "config/settings.json", JSON.stringify({ theme: "dark" }));
    await uploadBlob(container, "images/logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await uploadBlob(container, "exports/items.csv", csv);
    const settingsBlob = container.getBlobClient("config/settings.json");
    const csvBlob = container.getBlobClient("exports/items.csv");

    const settings = await readSettings(settingsBlob);
    const image = await readImage(container.getBlobClient("images/logo.png"));
    const backupPath = join(folder, "items.csv");
    const backup = await saveBackup(csvBlob, backupPath);
    const savedText = await readFile(backupPath, "utf8");
    const lines = await countLines(csvBlob);
    const digest = await checksum(csvBlob);
    const gzipped = await gzippedResponse(csvBlob);
    const unzipped = await new Response(
      gzipped.body?.pipeThrough(new DecompressionStream("gzip")),
    ).text();
    const header = await readHeader(csvBlob);
    const unchanged = await refresh(settingsBlob, { etag: settings.etag, text: "cached" });
    await uploadBlob(container, "config/settings.json", JSON.stringify({ theme: "light" }));
    const changed = await refresh(settingsBlob, { etag: settings.etag, text: "cached" });
    const flaky = await downloadOverFlakyLink(csvBlob, join(folder, "flaky.csv"));

    const checked = await downloadChecked(csvBlob, join(folder, "checked.csv"));
    await uploadBlob(container, "exports/damaged.csv", csv);
    const damagedBlob = container.getBlobClient("exports/damaged.csv");
    await storeWrongChecksum(damagedBlob);
    const quarantine = join(folder, "quarantine");
    await mkdir(quarantine);
    const damaged = await downloadOrQuarantine(damagedBlob, join(quarantine, "damaged.csv"));
    const quarantineFiles = await readdir(quarantine);
    const suspectIdentical =
      (await readFile(join(quarantine, "damaged.csv.suspect"), "utf8")) === csv;

    await uploadBlob(container, "secrets/service.json", JSON.stringify({ token: "example" }));
    const credentialsPath = join(folder, "config", "secrets", "service.json");
    const credentials = await saveCredentials(
      container.getBlobClient("secrets/service.json"),
      credentialsPath,
    );
    const credentialsMode = (await stat(credentialsPath)).mode & 0o777;
    return {
      settings: settings.settings,
      image,
      backup,
      savedIdentical: savedText === csv,
      lines,
      checksumMatches: digest === createHash("sha256").update(csv).digest("hex"),
      gzipped: {
        encoding: gzipped.headers.get("content-encoding"),
        contentType: gzipped.headers.get("content-type"),
        identical: unzipped === csv,
      },
      header: { text: header.header.toString("utf8", 0, 8), length: header.header.length },
      blobSize: header.blobSize,
      unchanged,
      changed,
      flaky,
      csvLength: Buffer.byteLength(csv),
      checked,
      damaged: { outcome: damaged.outcome, verification: damaged.verification },
      quarantineFiles,
      suspectIdentical,
      credentials,
      credentialsMode,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
    await deleteContainer(container);
  }
}
