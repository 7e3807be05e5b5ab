// The browser's downloadBlob.ts: bundlers load this file in its place (the `#download-blob`
// import's browser condition). A web page has no files, no Node.js streams and no sockets of its
// own, so this downloadBlob reads through the SDK's own (fetch) client, in ranges that resume
// after a dropped connection, into bytes or a string, and checks the whole-blob MD5 as the
// Node.js one does. Same name, same type as its Node.js twin.
import type { BlobClient } from "@azure/storage-blob";
import { invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import { md5Of } from "#platform";
import type {
  DownloadBlobDestination,
  DownloadBlobOptions,
  DownloadToString,
} from "./DownloadBlobOptions.js";
import type * as Node from "./downloadBlob.js";
import { DEFAULT_DOWNLOAD_OPTIONS } from "./internal/download/defaults.js";
import { fetchRanges } from "./internal/download/fetch-ranges.js";
import { resolveDownloadSettings } from "./internal/download/settings.js";
import { planVerification, verifyDigest } from "./internal/download/verify.js";
import { blobContext } from "./internal/errors.js";
import { progressReporter } from "./internal/transfer/progress.js";

/** The decoder of `{ to: "string", encoding }`: the encodings both Node.js and browsers know. */
function decoderFor(encoding: string | undefined): { decode(bytes: Uint8Array): string } {
  try {
    if (encoding === undefined || /^(utf-?8|utf-?16le|latin1)$/i.test(encoding)) {
      return new TextDecoder(encoding ?? "utf-8", { fatal: false });
    }
  } catch {
    // fall through
  }
  throw invalidArgument(
    "destination.encoding",
    `${JSON.stringify(encoding)} cannot be decoded in a browser; use "utf8", "utf16le" or "latin1", or download { to: "bytes" }`,
  );
}

async function download(
  blob: BlobClient,
  destination: DownloadBlobDestination,
  options: DownloadBlobOptions = {},
) {
  const to =
    typeof destination === "object" && destination !== null
      ? (destination as { to?: unknown }).to
      : undefined;
  if (to !== "bytes" && to !== "string") {
    throw invalidArgument(
      "destination",
      'must be { to: "bytes" } or { to: "string" } in a browser: files, streams and writables are Node.js destinations',
    );
  }
  const decoder =
    to === "string" ? decoderFor((destination as DownloadToString).encoding) : undefined;
  const settings = resolveDownloadSettings(options, DEFAULT_DOWNLOAD_OPTIONS);
  const context = blobContext(blob, "download blob", "read");
  throwIfAborted(options.signal, "download blob");
  let progress: ReturnType<typeof progressReporter> | undefined;
  const { first, blobSize, bytes } = await fetchRanges(
    blob,
    context,
    settings,
    options.signal,
    (received, total) => {
      progress ??= progressReporter(options.onProgress, total);
      progress.add(received);
    },
  );
  progress?.finish();
  // A range read returns the stored MD5 as x-ms-blob-content-md5; the whole read of an empty
  // blob, as Content-MD5.
  const stored = first.blobContentMD5 ?? (first.contentRange ? undefined : first.contentMD5);
  const plan = planVerification(settings, bytes.length, blobSize, stored);
  await verifyDigest(context, plan, () => md5Of(bytes), "Nothing was returned.");
  return {
    etag: first.etag ?? "",
    lastModified: first.lastModified ?? new Date(0),
    contentLength: bytes.length,
    blobSize,
    ...(first.contentType ? { contentType: first.contentType } : {}),
    ...(first.contentEncoding ? { contentEncoding: first.contentEncoding } : {}),
    ...(stored ? { contentMD5: stored } : {}),
    verification: plan.verification,
    metadata: first.metadata ?? {},
    ...(first.requestId ? { requestId: first.requestId } : {}),
    content: decoder ? decoder.decode(bytes) : bytes,
  };
}

/**
 * `downloadBlob` in a browser: `{ to: "bytes" }` (a `Uint8Array`) or `{ to: "string" }`, read in
 * ranges through the SDK's fetch client (see fetch-ranges.ts), the whole-blob MD5 checked as on
 * Node.js.
 */
export const downloadBlob = download as typeof Node.downloadBlob;
