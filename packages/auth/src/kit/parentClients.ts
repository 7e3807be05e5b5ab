// The client one level up from a blob or container client: its container, or its account. The
// SDK offers no way up, so the new client is built on the same pipeline object: same credential,
// same BlobKit policies (retry, timeouts), and the URL keeps its query string (a SAS).
import {
  type BlobClient,
  BlobServiceClient,
  ContainerClient,
  isPipelineLike,
  type PipelineLike,
} from "@azure/storage-blob";

/**
 * The pipeline of an SDK client. `pipeline` is a protected member of the SDK's `StorageClient`
 * (declared in its public types, for subclasses); anything else (a mock) gets `undefined`.
 */
function pipelineOf(client: object): PipelineLike | undefined {
  const pipeline = (client as { pipeline?: unknown }).pipeline;
  return isPipelineLike(pipeline) ? pipeline : undefined;
}

/**
 * `url` cut at its container segment, which is followed by `after` more segments (the blob
 * name's) and must be `containerName` (else `undefined`: a URL this does not understand is left
 * alone); `keepContainer` says whether the container segment stays. The query string is kept as
 * sent (a SAS signature must not be re-encoded), minus `snapshot` and `versionid`, which name a
 * blob.
 */
function cutUrl(
  url: string,
  containerName: string,
  after: number,
  keepContainer: boolean,
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const path = parsed.pathname.split("/");
  const containerAt = path.length - after - 1;
  if (containerAt < 1) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(path[containerAt] ?? "");
  } catch {
    return undefined;
  }
  if (name !== containerName) return undefined;
  const query = parsed.search
    .slice(1)
    .split("&")
    .filter((part) => part !== "" && !/^(snapshot|versionid)=/i.test(part))
    .join("&");
  const kept = path.slice(0, keepContainer ? containerAt + 1 : containerAt).join("/");
  return `${parsed.origin}${kept}${query ? `?${query}` : ""}`;
}

/**
 * The container client of a blob client, on the same pipeline, or `undefined` when the blob's URL
 * or client is not one the SDK made (then the caller does without).
 *
 * @example
 * ```ts
 * import type { BlobClient } from "@azure/storage-blob";
 * import { containerClientOf } from "@blobkit/auth/kit";
 *
 * declare const blob: BlobClient;
 * const container = containerClientOf(blob); // same credential, policies and SAS
 * ```
 */
export function containerClientOf(blob: BlobClient): ContainerClient | undefined {
  const pipeline = pipelineOf(blob);
  // The SDK writes a blob name into the URL one segment per "/" (EscapePath).
  const url = pipeline && cutUrl(blob.url, blob.containerName, blob.name.split("/").length, true);
  return pipeline && url ? new ContainerClient(url, pipeline) : undefined;
}

/**
 * The service (account) client of a container client, on the same pipeline, or `undefined`.
 *
 * @example
 * ```ts
 * import type { ContainerClient } from "@azure/storage-blob";
 * import { serviceClientOf } from "@blobkit/auth/kit";
 *
 * declare const container: ContainerClient;
 * const service = serviceClientOf(container); // same credential, policies and SAS
 * ```
 */
export function serviceClientOf(container: ContainerClient): BlobServiceClient | undefined {
  const pipeline = pipelineOf(container);
  const url = pipeline && cutUrl(container.url, container.containerName, 0, false);
  return pipeline && url ? new BlobServiceClient(url, pipeline) : undefined;
}
