// Test helpers for uploads and downloads: a BlobKit client of the shared emulator, data and
// digests, slow and stuck streams, temp folders, and a loopback proxy that records requests.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ContainerClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import type { AzuriteConnection } from "@blobkit/testing";

/** A BlobKit client (BlobKit's retry policy installed) for a container of the shared emulator. */
export async function blobkitContainer(
  azurite: AzuriteConnection,
  containerName: string,
  endpoint = azurite.blobEndpoint,
  maxTries = 1,
): Promise<ContainerClient> {
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: endpoint,
      accountName: azurite.accountName,
      accountKey: azurite.accountKey,
    },
    retry: { maxTries, retryDelayMs: 10 },
  });
  return service.getContainerClient(containerName);
}

/** A container client whose endpoint refuses connections: any request would fail with NetworkError. */
export async function unreachableContainer(azurite: AzuriteConnection): Promise<ContainerClient> {
  return blobkitContainer(azurite, "never-used", "http://127.0.0.1:9/devstoreaccount1");
}

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export function md5Base64(data: Uint8Array): string {
  return createHash("md5").update(data).digest("base64");
}

export function bytes(size: number): Buffer {
  return randomBytes(size);
}

/** A Node Readable of `data` in chunks of the given sizes (cycled), to exercise block assembly. */
export function chunkedReadable(
  data: Uint8Array,
  chunkSizes: number[] = [1000, 7, 4096],
): Readable {
  function* chunks() {
    let offset = 0;
    let i = 0;
    while (offset < data.length) {
      const size = chunkSizes[i++ % chunkSizes.length] ?? 1024;
      // Views of the caller's bytes, as many streams produce: they must never be written to.
      yield data.subarray(offset, offset + size);
      offset += size;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** A web ReadableStream of `data` in chunks of `chunkSize`. */
export function webStream(data: Uint8Array, chunkSize = 5000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        return;
      }
      controller.enqueue(data.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** A Readable that produces `data` and then never ends (a paused or stuck source). */
export function stuckReadable(data: Uint8Array): Readable & { destroyedByUpload(): boolean } {
  let sent = false;
  const stream = new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.from(data));
      }
      // then nothing: the consumer waits forever
    },
  });
  return Object.assign(stream, { destroyedByUpload: () => stream.destroyed });
}

/** A private temp folder, removed by `await using`. */
export async function tempFolder(): Promise<{
  path: string;
  files(): Promise<string[]>;
  [Symbol.asyncDispose](): Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), "blobkit-transfer-"));
  return {
    path,
    files: () => readdir(path),
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}

/** One request seen by the recording proxy. */
export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  /** MD5 of the body as received, base64. */
  bodyMD5: string;
  bodyLength: number;
}

/**
 * A loopback HTTP proxy in front of the emulator that records each request (method, URL,
 * headers, body digest), how many block uploads were in flight at most, and how many requests of
 * any kind. With `corrupt`, it flips one bit in the first byte of every PUT body it forwards (the
 * recorded digest is of the body as sent by the client); with `corruptResponses`, in the first
 * byte of every successful GET response body (the blob as stored stays intact).
 */
export async function startRecordingProxy(
  target: string,
  {
    corrupt = false,
    corruptResponses = false,
  }: { corrupt?: boolean; corruptResponses?: boolean } = {},
): Promise<{
  url: string;
  requests: RecordedRequest[];
  readonly maxConcurrentBlocks: number;
  readonly maxInFlight: number;
  [Symbol.asyncDispose](): Promise<void>;
}> {
  const targetUrl = new URL(target);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let inflightBlocks = 0;
  let maxConcurrentBlocks = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    const isBlock = req.method === "PUT" && /[?&]comp=block(&|$)/.test(req.url ?? "");
    if (isBlock) {
      inflightBlocks++;
      maxConcurrentBlocks = Math.max(maxConcurrentBlocks, inflightBlocks);
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    // In flight from the request's first byte to the response's end (or the connection's close).
    const done = () => {
      if (counted) inFlight--;
      counted = false;
    };
    res.on("close", done);
    const hash = createHash("md5");
    let length = 0;
    const upstream = httpRequest(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: targetUrl.host },
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        const status = response.statusCode ?? 0;
        if (corruptResponses && req.method === "GET" && status >= 200 && status < 300) {
          let first = true;
          response.on("data", (chunk: Buffer) => {
            if (first && chunk.length > 0) {
              first = false;
              const altered = Buffer.from(chunk);
              altered[0] = (altered[0] ?? 0) ^ 1;
              res.write(altered);
            } else res.write(chunk);
          });
          response.on("end", () => res.end());
        } else response.pipe(res);
        response.on("end", () => {
          if (isBlock) inflightBlocks--;
        });
      },
    );
    upstream.on("error", () => {
      if (isBlock) inflightBlocks--;
      res.socket?.destroy();
    });
    req.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      if (corrupt && req.method === "PUT" && length === 0 && chunk.length > 0) {
        const altered = Buffer.from(chunk);
        altered[0] = (altered[0] ?? 0) ^ 1;
        upstream.write(altered);
      } else upstream.write(chunk);
      length += chunk.length;
    });
    req.on("end", () => {
      upstream.end();
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        bodyMD5: hash.digest("base64"),
        bodyLength: length,
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    requests,
    get maxConcurrentBlocks() {
      return maxConcurrentBlocks;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
