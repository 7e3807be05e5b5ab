// Change some of a blob's HTTP headers without clearing the others (read-merge-write on the ETag).

import type { BlobClient } from "@azure/storage-blob";
import { type OperationOptions, StorageError } from "@blobkit/auth";
import { invalidArgument, sdkOptions } from "@blobkit/auth/kit";
import { sdkConditions } from "./internal/conditions.js";
import { blobContext, runBlobOperation } from "./internal/errors.js";
import { checkAttempts, noRetry, withOptimisticRetry } from "./internal/retry.js";
import type { BlobConditions, BlobHttpHeaders } from "./types.js";

/**
 * Headers to change: a string sets the header, `null` removes it, a missing field keeps the
 * current value.
 */
export type BlobHttpHeadersUpdate = {
  [K in keyof BlobHttpHeaders]?: Exclude<BlobHttpHeaders[K], undefined> | null;
};

/** Options of {@link setBlobHttpHeaders}. */
export interface SetBlobHttpHeadersOptions extends OperationOptions, BlobConditions {
  /**
   * How many times to read, merge and write when someone else changes the blob in between
   * (HTTP 412). With `ifMatch`, there is a single attempt: a change by someone else is an error.
   * @defaultValue 5
   */
  maxAttempts?: number;
}

/** The result of {@link setBlobHttpHeaders}. */
export interface SetBlobHttpHeadersResult {
  /** The headers the blob has now. */
  httpHeaders: BlobHttpHeaders;
  /** The blob's new ETag. */
  etag: string | undefined;
  /** How many read-merge-write rounds it took. */
  attempts: number;
}

const HEADER_FIELDS = [
  "contentType",
  "contentEncoding",
  "contentLanguage",
  "contentDisposition",
  "cacheControl",
  "contentMD5",
] as const;

function checkHeaders(headers: BlobHttpHeadersUpdate): BlobHttpHeadersUpdate {
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
    throw invalidArgument("headers", 'must be an object such as { contentType: "text/plain" }');
  }
  for (const [name, value] of Object.entries(headers)) {
    const field = `headers.${name}`;
    if (!(HEADER_FIELDS as readonly string[]).includes(name)) {
      throw invalidArgument(
        field,
        `is not a blob HTTP header; use one of ${HEADER_FIELDS.join(", ")}`,
      );
    }
    if (value === null || value === undefined) continue;
    if (name === "contentMD5") {
      if (!(value instanceof Uint8Array) || value.length !== 16) {
        throw invalidArgument(field, "must be the 16-byte MD5 digest as a Uint8Array");
      }
    } else if (typeof value !== "string" || /[^\t\x20-\x7e]/.test(value)) {
      throw invalidArgument(
        field,
        "must be a string of printable ASCII characters (it is sent as an HTTP header)",
      );
    }
  }
  return headers;
}

/**
 * Changes some of a blob's HTTP headers (`Content-Type`, `Cache-Control`, ...) and keeps the rest.
 * The service's Set Blob Properties replaces all of them, clearing any header not sent, including
 * `Content-MD5`; so this reads the current headers, merges your changes and writes them back on
 * the condition that the blob's ETag has not changed, retrying if it has. `null` removes a header.
 *
 * @see [Manage blob properties and metadata: Change some HTTP headers](../../../apps/docs/guides/blob-properties-metadata.md#change-some-http-headers)
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { setBlobHttpHeaders } from "@blobkit/blobs";
 *
 * declare const blob: BlobClient;
 * await setBlobHttpHeaders(blob, { contentType: "application/pdf", cacheControl: "max-age=3600" });
 * await setBlobHttpHeaders(blob, { contentDisposition: null }); // remove one header only
 * ```
 */
export async function setBlobHttpHeaders(
  blob: BlobClient,
  headers: BlobHttpHeadersUpdate,
  options: SetBlobHttpHeadersOptions = {},
): Promise<SetBlobHttpHeadersResult> {
  checkHeaders(headers);
  const maxAttempts = checkAttempts(options.maxAttempts, 5);
  const conditions = sdkConditions(options);
  const { value, attempts } = await withOptimisticRetry(
    maxAttempts,
    options.ifMatch === undefined,
    options.signal,
    "set blob HTTP headers",
    async () => {
      // Only the caller's conditions go with the read: a 412 here is final.
      const current = await noRetry(
        runBlobOperation(blobContext(blob, "get blob properties", "read"), () =>
          blob.getProperties({ ...sdkOptions(options), conditions }),
        ),
      );
      const merged: BlobHttpHeaders = {
        contentType: current.contentType,
        contentEncoding: current.contentEncoding,
        contentLanguage: current.contentLanguage,
        contentDisposition: current.contentDisposition,
        cacheControl: current.cacheControl,
        contentMD5: current.contentMD5,
      };
      for (const name of HEADER_FIELDS) {
        if (!Object.hasOwn(headers, name)) continue;
        const next = headers[name];
        if (next !== undefined)
          (merged as unknown as Record<string, unknown>)[name] = next ?? undefined;
      }
      const etag = current.etag;
      if (!etag) {
        throw new StorageError("Unknown", "Get blob properties returned no ETag.", {
          operation: "set blob HTTP headers",
        });
      }
      const response = await runBlobOperation(
        blobContext(blob, "set blob HTTP headers", "write"),
        () =>
          blob.setHTTPHeaders(
            {
              ...(merged.contentType !== undefined ? { blobContentType: merged.contentType } : {}),
              ...(merged.contentEncoding !== undefined
                ? { blobContentEncoding: merged.contentEncoding }
                : {}),
              ...(merged.contentLanguage !== undefined
                ? { blobContentLanguage: merged.contentLanguage }
                : {}),
              ...(merged.contentDisposition !== undefined
                ? { blobContentDisposition: merged.contentDisposition }
                : {}),
              ...(merged.cacheControl !== undefined
                ? { blobCacheControl: merged.cacheControl }
                : {}),
              ...(merged.contentMD5 !== undefined ? { blobContentMD5: merged.contentMD5 } : {}),
            },
            { ...sdkOptions(options), conditions: { ...conditions, ifMatch: etag } },
          ),
      );
      return { httpHeaders: merged, etag: response.etag };
    },
  );
  return { ...value, attempts };
}
