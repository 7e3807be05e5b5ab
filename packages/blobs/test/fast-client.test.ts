// BlobKit's own HTTP client for downloads (internal/http/fast-client.ts, connection.ts, body.ts),
// seen through downloadBlob: keep-alive connections are reused, one the server closed is not (or
// is retried once on a new connection when the close races the request), chunked bodies and
// chunked error bodies are read whole, 304/412/416 answers become the right StorageErrors and
// leave the connection usable, an abort mid-body stops at once, and HTTPS works with a token.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { connect, isStorageError, type StorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadBlob, uploadBlob } from "../src/index.js";
import { STUB_ETAG, serviceError, startBlobStub } from "./blob-stub.js";
import { bytes, sha256, tempFolder } from "./transfer-helpers.js";

const KiB = 1024;

describe("fast client: connections", () => {
  test("one keep-alive connection serves downloads one after another", async () => {
    const data = bytes(100 * KiB);
    await using server = await startBlobStub(data);
    const blob = await server.blob();
    for (let i = 0; i < 5; i++) {
      const result = await downloadBlob(blob, { to: "bytes" });
      expect(sha256(result.content)).toBe(sha256(data));
      expect(result.verification).toBe("verified");
    }
    expect(server.gets).toBe(5);
    expect(server.connections).toBe(1);
  });

  test("a reused connection the server closes as the request arrives is retried once, on a new one", async () => {
    const data = bytes(10 * KiB);
    await using server = await startBlobStub(data, {
      // The second request (on the kept connection) meets a server that just closed it.
      answer: (_request, index, response) => {
        if (index !== 2) return undefined;
        response.socket?.destroy();
        return true;
      },
    });
    // No retries by the retry policy: only the client's own stale-connection retry can save it.
    const blob = await server.blob(1);
    await downloadBlob(blob, { to: "bytes" });
    const second = await downloadBlob(blob, { to: "bytes" });
    expect(sha256(second.content)).toBe(sha256(data));
    expect(server.gets).toBe(3);
    expect(server.connections).toBe(2);
  });

  test("a connection the server closed while idle is not reused", async () => {
    const data = bytes(10 * KiB);
    await using server = await startBlobStub(data, {
      answer: (_request, _index, response) => {
        // Serve as usual, then close the connection once the answer is out.
        const socket = response.socket;
        response.once("finish", () => setTimeout(() => socket?.destroy(), 5));
        return undefined;
      },
    });
    const blob = await server.blob(1);
    for (let i = 0; i < 3; i++) {
      await downloadBlob(blob, { to: "bytes" });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(server.gets).toBe(3);
    expect(server.connections).toBe(3);
  });
});

describe("fast client: bodies and answers", () => {
  test("a chunked range body is read whole and verified; the connection is reused", async () => {
    const data = bytes(300 * KiB + 7);
    await using server = await startBlobStub(data, { chunked: true });
    const blob = await server.blob();
    for (let i = 0; i < 2; i++) {
      const result = await downloadBlob(blob, { to: "bytes" });
      expect(result.verification).toBe("verified");
      expect(sha256(result.content)).toBe(sha256(data));
    }
    expect(server.gets).toBe(2);
    expect(server.connections).toBe(1);
    // A whole-blob read answered 200 with neither Content-Length nor Content-Range (Azure always
    // sends them) has no known size: a clear error, never an empty or short download.
    const error = await downloadBlob(blob, { to: "stream" }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/without Content-Length or Content-Range/);
  });

  test("a response head that arrives in pieces (its end split between two) is read whole, twice", async () => {
    const data = bytes(10 * KiB);
    const md5 = createHash("md5").update(data).digest("base64");
    await using server = await startBlobStub(data, {
      // Written by hand on the socket: the head in three pieces 20 ms apart, the blank line
      // that ends it split between the second and the third, the body's start in the third.
      answer: (_request, index, response) => {
        const socket = response.socket;
        if (!socket) return undefined;
        const head = [
          "HTTP/1.1 200 OK",
          `content-length: ${data.length}`,
          `content-md5: ${md5}`,
          `etag: ${STUB_ETAG}`,
          "last-modified: Mon, 01 Jan 2024 00:00:00 GMT",
          "x-ms-blob-type: BlockBlob",
          `x-ms-request-id: stub-${index}`,
          "content-type: application/octet-stream",
          "",
          "",
        ].join("\r\n");
        const raw = Buffer.concat([Buffer.from(head, "latin1"), data]);
        const cuts = [40, head.length - 2, head.length + 100, raw.length];
        let at = 0;
        const next = (i: number) => {
          socket.write(raw.subarray(at, cuts[i]));
          at = cuts[i] as number;
          // The stub's server still waits for this answer to end: the connection closes after it.
          if (i + 1 < cuts.length) setTimeout(() => next(i + 1), 20);
          else socket.end();
        };
        next(0);
        return true;
      },
    });
    const blob = await server.blob();
    for (let i = 0; i < 2; i++) {
      const result = await downloadBlob(blob, { to: "bytes" });
      expect(sha256(result.content)).toBe(sha256(data));
      expect(result.verification).toBe("verified");
      expect(result.requestId).toMatch(/^stub-\d+$/); // read from the split head
    }
  });

  test("chunked error bodies, 304, 412 and 416 become StorageErrors and leave the connection usable", async () => {
    const data = bytes(10 * KiB);
    await using server = await startBlobStub(data, {
      answer: (request, _index, response) => {
        const wanted = request.headers["x-test-answer"];
        if (request.headers["if-none-match"] === STUB_ETAG) {
          response.writeHead(304, { etag: STUB_ETAG }).end();
          return true;
        }
        if (wanted === undefined && request.url.includes("missing")) {
          serviceError(response, 404, "BlobNotFound", { chunked: true });
          return true;
        }
        return undefined;
      },
    });
    const blob = await server.blob();
    const container = blob.url.replace(/\/blob\.bin$/, "");
    const service = await connect({
      method: "emulator",
      emulator: server.stub,
      retry: { maxTries: 1 },
    });
    const missing = service
      .getContainerClient(container.split("/").at(-1) ?? "")
      .getBlobClient("missing.bin");
    const cases: Array<[() => Promise<unknown>, string, number]> = [
      [() => downloadBlob(missing, { to: "bytes" }), "NotFound", 404],
      [
        () => downloadBlob(blob, { to: "bytes" }, { ifNoneMatch: STUB_ETAG }),
        "PreconditionFailed",
        304,
      ],
      [() => downloadBlob(blob, { to: "bytes" }, { ifMatch: '"0x1"' }), "PreconditionFailed", 412],
      [
        () => downloadBlob(blob, { to: "bytes" }, { range: { offset: data.length + 10 } }),
        "RangeNotSatisfiable",
        416,
      ],
    ];
    for (const [running, code, status] of cases) {
      const error = (await running().catch((e: unknown) => e)) as StorageError;
      expect(isStorageError(error, code as "NotFound"), `${status}: ${error}`).toBe(true);
      expect(error.statusCode, code).toBe(status);
      if (status === 416) {
        // BlobKit's message, as for a range starting at the end, not the service's text.
        expect(error.message).toMatch(
          /the range starts at byte 10250 but the blob has 10240 bytes/,
        );
      }
      // Each answer was read to its end: the next download reuses the same connection.
      const after = await downloadBlob(blob, { to: "bytes" });
      expect(sha256(after.content)).toBe(sha256(data));
    }
    expect(server.connections).toBe(1);
  });

  test("an abort mid-body stops the download at once; the next one succeeds", async () => {
    const data = bytes(64 * KiB);
    // 1 KiB every 20 ms: about 1.3 s for the whole body.
    await using server = await startBlobStub(data, { trickle: { bytes: 1024, everyMs: 20 } });
    await using folder = await tempFolder();
    const blob = await server.blob();
    const destinations = [{ to: "bytes" }, { path: join(folder.path, "a.bin") }] as const;
    for (const destination of destinations) {
      const controller = new AbortController();
      const gets = server.gets;
      const running = downloadBlob(blob, destination, { signal: controller.signal });
      // Abort once the body has started to arrive.
      while (server.gets === gets) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const abortedAt = performance.now();
      controller.abort();
      const error = await running.catch((e: unknown) => e);
      expect(isStorageError(error, "Aborted"), String(error)).toBe(true);
      expect(performance.now() - abortedAt).toBeLessThan(300);
    }
    expect(await folder.files()).not.toContain("a.bin");
    // A consumer that stops reading a stream early drops its connection; the next download works.
    const { stream } = await downloadBlob(blob, { to: "stream" });
    await new Promise((resolve) => stream.once("data", resolve));
    stream.destroy();
    const after = await downloadBlob(blob, { to: "bytes" }, { stallTimeoutMs: 5_000 });
    expect(sha256(after.content)).toBe(sha256(data));
  });
});

describe("fast client: bodies nobody reads", () => {
  test("a returned stream destroyed before its first read closes its connection", async () => {
    const data = bytes(2048 * KiB);
    await using server = await startBlobStub(data);
    const blob = await server.blob();
    for (let i = 0; i < 3; i++) {
      const { stream } = await downloadBlob(blob, { to: "stream" });
      stream.destroy();
    }
    // Each response's body was never read: its connection must not stay open (it would hold
    // the socket, and keep the process alive).
    const started = performance.now();
    while (server.openConnections > 0 && performance.now() - started < 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(server.openConnections).toBe(0);
    const after = await downloadBlob(blob, { to: "bytes" });
    expect(sha256(after.content)).toBe(sha256(data));
  });
});

describe("fast client: HTTPS", () => {
  test("downloads over TLS with a token credential, to every destination", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    const service = await connect({
      method: "entra",
      accountUrl: azuriteHttps.blobEndpoint,
      credential: tokenCredential,
    });
    const name = `tls-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const container = service.getContainerClient(name);
    await container.create();
    try {
      const data = bytes(700 * KiB);
      await uploadBlob(container, "tls.bin", data);
      const blob = container.getBlobClient("tls.bin");
      for (const options of [{}, { rangeSize: 64 * KiB, concurrency: 4 }]) {
        const asBytes = await downloadBlob(blob, { to: "bytes" }, options);
        expect(asBytes.verification).toBe("verified");
        expect(sha256(asBytes.content)).toBe(sha256(data));
        const { stream } = await downloadBlob(blob, { to: "stream" }, options);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
      }
    } finally {
      await container.delete();
    }
  });
});
