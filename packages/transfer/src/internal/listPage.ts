// One List Blobs request of a transfer, sent through the container client's own pipeline (so it is
// signed, retried and timed out like every SDK request), its body read by `parseListing` instead
// of the SDK's generic XML parse and mapper (decision 22).
import {
  createDefaultHttpClient,
  createPipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import type { ContainerClient } from "@azure/storage-blob";
import {
  backoff,
  containerContext,
  corePipelineOf,
  runOperation,
  serviceErrorOf,
  serviceVersionOf,
  sleep,
} from "@blobkit/auth/kit";
import { type ListingPage, parseListing } from "./listingXml.js";

/** What one page asks for. */
export interface ListPageRequest {
  /** Only blobs whose name starts with this. */
  prefix: string;
  /** `"/"` for a listing by virtual directory; flat without. */
  delimiter?: string | undefined;
  /** At most this many blobs and directories (the service's own limit is 5,000). */
  maxResults?: number;
  /** Where the previous page ended. */
  marker?: string | undefined;
  signal: AbortSignal | undefined;
}

const httpClient = createDefaultHttpClient();

/**
 * Tries of a page whose body was cut off or unreadable after the service answered 200 (a read, so
 * asking again is safe). A body cut short can end like a whole one, so its length is checked
 * against `Content-Length` and a page that does not parse is asked for again too.
 */
const PAGE_TRIES = 3;

/** Lists one page of `container`'s blobs, with their metadata. */
export function listPage(container: ContainerClient, page: ListPageRequest): Promise<ListingPage> {
  const context = containerContext(container, "list blobs", "list");
  return runOperation(context, async () => {
    for (let attempt = 1; ; attempt++) {
      const response = await send(container, page);
      try {
        return parseListing(await readBody(response));
      } catch (error) {
        if (page.signal?.aborted || attempt >= PAGE_TRIES) throw error;
        await sleep(
          backoff(attempt, { retryDelayMs: 500, maxRetryDelayMs: 8000, jitter: true }),
          page.signal,
        );
      }
    }
  });
}

function send(container: ContainerClient, page: ListPageRequest): Promise<PipelineResponse> {
  const [path, query] = container.url.split("?", 2) as [string, string | undefined];
  const params = [
    "restype=container",
    "comp=list",
    "include=metadata",
    ...(page.prefix ? [`prefix=${encodeURIComponent(page.prefix)}`] : []),
    ...(page.delimiter ? [`delimiter=${encodeURIComponent(page.delimiter)}`] : []),
    ...(page.maxResults ? [`maxresults=${page.maxResults}`] : []),
    ...(page.marker ? [`marker=${encodeURIComponent(page.marker)}`] : []),
  ];
  const url = `${path}?${query ? `${query}&` : ""}${params.join("&")}`;
  const request = createPipelineRequest({
    url,
    method: "GET",
    ...(page.signal ? { abortSignal: page.signal } : {}),
    allowInsecureConnection: url.startsWith("http:"),
    // Streamed, so that the pipeline leaves the body to `parseListing`.
    streamResponseStatusCodes: new Set([200]),
  });
  request.headers.set("x-ms-version", serviceVersionOf(container));
  request.headers.set("Accept", "application/xml");
  return corePipelineOf(container)
    .sendRequest(httpClient, request)
    .then((response) => {
      if (response.status === 200) return response;
      response.readableStreamBody?.resume();
      throw serviceErrorOf(request, response, "List Blobs");
    });
}

async function readBody(response: PipelineResponse): Promise<string> {
  const stream = response.readableStreamBody;
  if (!stream) return response.bodyAsText ?? "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const body = Buffer.concat(chunks);
  const declared = response.headers.get("content-length");
  if (declared !== undefined && Number(declared) !== body.length) {
    throw new Error(`the body ended after ${body.length} of its ${declared} bytes`);
  }
  return body.toString("utf8");
}
