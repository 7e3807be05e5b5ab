// The browser's downloadBlob.ts: bundlers load this file in its place through the package.json
// "browser" field. A web page has no files, no Node.js streams and no sockets of its own, so this
// downloadBlob reads through the SDK's own (fetch) client, into bytes or a string, and checks the
// whole-blob MD5 as the Node.js one does. Same name, same type as its Node.js twin.
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
import { resolveDownloadSettings } from "./internal/download/settings.js";
import { checksumMismatch } from "./internal/download/verify.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
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
  return runBlobOperation(context, async () => {
    const whole = settings.offset === 0 && settings.count === undefined;
    const response = await blob.download(settings.offset, settings.count, {
      ...(options.signal ? { abortSignal: options.signal } : {}),
      conditions: settings.conditions,
      onProgress: ({ loadedBytes }) => progress?.add(loadedBytes - progress.loaded),
    });
    const length = response.contentLength ?? 0;
    progress = progressReporter(options.onProgress, length);
    const body = await response.blobBody;
    const bytes = new Uint8Array(body ? await body.arrayBuffer() : new ArrayBuffer(0));
    progress.add(bytes.length - progress.loaded);
    progress.finish();
    const blobSize = whole
      ? length
      : Number(/\/(\d+)$/.exec(response.contentRange ?? "")?.[1] ?? length);
    // A whole-blob read returns the stored MD5 as Content-MD5; a range read, as x-ms-blob-content-md5.
    const stored = whole ? response.contentMD5 : response.blobContentMD5;
    const verification = !settings.verify
      ? "disabled"
      : length !== blobSize
        ? "range"
        : stored
          ? "verified"
          : "no checksum stored";
    if (verification === "verified" && stored) {
      const actual = await md5Of(bytes);
      if (actual.length !== stored.length || actual.some((byte, i) => byte !== stored[i])) {
        throw checksumMismatch(context, stored, actual, "Nothing was returned.");
      }
    }
    return {
      etag: response.etag ?? "",
      lastModified: response.lastModified ?? new Date(0),
      contentLength: bytes.length,
      blobSize,
      ...(response.contentType ? { contentType: response.contentType } : {}),
      ...(response.contentEncoding ? { contentEncoding: response.contentEncoding } : {}),
      ...(stored ? { contentMD5: stored } : {}),
      verification,
      metadata: response.metadata ?? {},
      ...(response.requestId ? { requestId: response.requestId } : {}),
      content: decoder ? decoder.decode(bytes) : bytes,
    };
  });
}

/**
 * `downloadBlob` in a browser: `{ to: "bytes" }` (a `Uint8Array`) or `{ to: "string" }`, in one
 * request through the SDK's fetch client, with the whole-blob MD5 checked as on Node.js.
 */
export const downloadBlob = download as typeof Node.downloadBlob;
