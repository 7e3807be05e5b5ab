// A stub Azure (startStubServer of @blobkit/testing) that serves one block blob the way Get Blob
// does (ranges, If-Match, ETag, Content-MD5), with behaviours the emulator cannot show: a body
// that trickles, chunked framing, connections closed between requests, a scripted answer. It
// counts requests and the connections they came on.
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { BlobClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { type StubRequest, type StubServer, startStubServer } from "@blobkit/testing";

export const STUB_ETAG = '"0x8DC0000000000B1"';

/** How the stub answers a GET. */
export interface BlobStubOptions {
  /** Send the body this many bytes at a time, `everyMs` apart (a trickle). */
  trickle?: { bytes: number; everyMs: number };
  /** Frame the body with chunked encoding instead of Content-Length. */
  chunked?: boolean;
  /**
   * Answer this request instead (the number counts GETs from 1); return `undefined` to serve the
   * blob as usual.
   */
  answer?: (request: StubRequest, index: number, response: ServerResponse) => boolean | undefined;
}

/** A running blob stub. */
export interface BlobStub extends AsyncDisposable {
  stub: StubServer;
  /** GET requests so far. */
  readonly gets: number;
  /** Distinct connections requests came on. */
  readonly connections: number;
  /** Of those, the ones still open. */
  readonly openConnections: number;
  /** A BlobKit client of the stub's blob (no retries, so every try shows). */
  blob(maxTries?: number): Promise<BlobClient>;
}

/** An error answer as the service sends it (XML body, x-ms-error-code). */
export function serviceError(
  response: ServerResponse,
  status: number,
  code: string,
  { chunked = false }: { chunked?: boolean } = {},
): void {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>The stub says ${code}.\nRequestId:stub</Message></Error>`;
  response.writeHead(status, {
    "x-ms-error-code": code,
    "content-type": "application/xml",
    ...(chunked ? {} : { "content-length": String(Buffer.byteLength(body)) }),
  });
  if (chunked) {
    // Two chunks, so the decoder has to join them.
    response.write(body.slice(0, 40));
    response.end(body.slice(40));
  } else response.end(body);
}

export async function startBlobStub(
  data: Buffer,
  options: BlobStubOptions = {},
): Promise<BlobStub> {
  const md5 = createHash("md5").update(data).digest("base64");
  const sockets = new Set<Socket>();
  let gets = 0;
  const stub = await startStubServer((request, response) => {
    if (response.socket) sockets.add(response.socket);
    if (request.method !== "GET") return serviceError(response, 400, "UnsupportedHttpVerb");
    gets++;
    if (options.answer?.(request, gets, response)) return;
    const ifMatch = request.headers["if-match"];
    if (ifMatch !== undefined && ifMatch !== STUB_ETAG) {
      return serviceError(response, 412, "ConditionNotMet");
    }
    const range = /bytes=(\d+)-(\d*)/.exec(String(request.headers["x-ms-range"] ?? ""));
    const start = Number(range?.[1] ?? 0);
    const end = range?.[2] ? Math.min(data.length - 1, Number(range[2])) : data.length - 1;
    if (range && start >= data.length) {
      // As Azure answers it: the size in `Content-Range: bytes */<size>`.
      response.setHeader("content-range", `bytes */${data.length}`);
      return serviceError(response, 416, "InvalidRange");
    }
    const body = data.subarray(start, end + 1);
    response.writeHead(range ? 206 : 200, {
      ...(options.chunked ? {} : { "content-length": String(body.length) }),
      ...(range
        ? { "content-range": `bytes ${start}-${end}/${data.length}`, "x-ms-blob-content-md5": md5 }
        : { "content-md5": md5 }),
      etag: STUB_ETAG,
      "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
      "x-ms-blob-type": "BlockBlob",
      "x-ms-request-id": `stub-${gets}`,
      "content-type": "application/octet-stream",
    });
    const trickle = options.trickle;
    if (!trickle) {
      response.end(body);
      return;
    }
    response.flushHeaders();
    let at = 0;
    const timer = setInterval(() => {
      response.write(body.subarray(at, at + trickle.bytes));
      at += trickle.bytes;
      if (at >= body.length) {
        clearInterval(timer);
        response.end();
      }
    }, trickle.everyMs);
    response.once("close", () => clearInterval(timer));
  });
  return {
    stub,
    get gets() {
      return gets;
    },
    get connections() {
      return sockets.size;
    },
    get openConnections() {
      return [...sockets].filter((socket) => !socket.destroyed).length;
    },
    async blob(maxTries = 1) {
      const service = await connect({
        method: "emulator",
        emulator: stub,
        retry: { maxTries, retryDelayMs: 10 },
      });
      return service.getContainerClient("stub").getBlobClient("blob.bin");
    },
    [Symbol.asyncDispose]: () => stub.stop(),
  };
}
