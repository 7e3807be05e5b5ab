// The range reader's floor rate (internal/download/range-reader.ts, issue 15.4): a body that
// trickles (bytes keep coming, far too slowly) is dropped and resumed, never counts as progress,
// and the download fails with NetworkError within seconds, naming minBytesPerSecond. Before the
// floor, only a body with no bytes at all was dropped: 1 byte a second held a download for hours.
import { isStorageError, type StorageError } from "@blobkit/auth";
import { describe, expect, test } from "vitest";
import { downloadBlob } from "../src/index.js";
import { type RangeReader, rangePieces } from "../src/internal/download/range-reader.js";
import type { BorrowedBody } from "../src/internal/http/fast-client.js";
import { linkSignal } from "../src/internal/transfer/concurrency.js";
import { startBlobStub } from "./blob-stub.js";
import { bytes, sha256 } from "./transfer-helpers.js";

const KiB = 1024;

describe("downloadBlob: a body that trickles", () => {
  test("is dropped and resumed, then fails with NetworkError in seconds, naming minBytesPerSecond", async () => {
    const data = bytes(64 * KiB);
    // 20 bytes every 100 ms: 200 bytes/s, far below the default floor of 16 KiB/s.
    await using server = await startBlobStub(data, { trickle: { bytes: 20, everyMs: 100 } });
    const blob = await server.blob();
    for (const destination of [{ to: "stream" }, { to: "bytes" }] as const) {
      const gets = server.gets;
      const started = performance.now();
      const error = (await (async () => {
        const result = await downloadBlob(blob, destination, {
          stallTimeoutMs: 400,
          maxResumes: 2,
        });
        if ("stream" in result) for await (const _ of result.stream) void _;
      })().catch((e: unknown) => e)) as StorageError;
      const elapsed = performance.now() - started;
      expect(isStorageError(error, "NetworkError"), String(error)).toBe(true);
      expect(error.message).toMatch(/too slowly 3 times in a row/);
      expect(error.message).toMatch(/below minBytesPerSecond \(16384\)/);
      // Three windows of 400 ms (the first request and two resumes), then the error.
      expect(server.gets - gets).toBe(3);
      expect(elapsed).toBeGreaterThan(1_100);
      expect(elapsed).toBeLessThan(5_000);
    }
  });

  test("a floor the caller sets is honoured both ways: above it completes, below it fails", async () => {
    const data = bytes(32 * KiB);
    // 2 KiB every 50 ms: about 40 KiB/s.
    await using server = await startBlobStub(data, { trickle: { bytes: 2 * KiB, everyMs: 50 } });
    const blob = await server.blob();
    const slowOk = await downloadBlob(
      blob,
      { to: "bytes" },
      { stallTimeoutMs: 300, minBytesPerSecond: 8 * KiB },
    );
    expect(sha256(slowOk.content)).toBe(sha256(data));
    const error = await downloadBlob(
      blob,
      { to: "bytes" },
      { stallTimeoutMs: 300, minBytesPerSecond: 100 * KiB, maxResumes: 1 },
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "NetworkError")).toBe(true);
    expect((error as Error).message).toMatch(/below minBytesPerSecond \(102400\)/);
    // minBytesPerSecond: 0 accepts any speed.
    const any = await downloadBlob(
      blob,
      { to: "bytes" },
      { stallTimeoutMs: 300, minBytesPerSecond: 0 },
    );
    expect(sha256(any.content)).toBe(sha256(data));
  });

  test("a slow consumer is not a slow body: time spent waiting for it does not count", async () => {
    // A body whose pieces are ready at once (the network is fast), read by a consumer that takes
    // 50 ms per KiB (20 KiB/s), below the floor: the body must not be dropped for it.
    const pieces = Array.from({ length: 30 }, () => bytes(KiB));
    let destroyed = false;
    const body: BorrowedBody = {
      next: async () => pieces.shift(),
      destroy: () => {
        destroyed = true;
      },
      release: () => {},
    };
    const reader: RangeReader = {
      // Never asked for: a resume would be the bug.
      blob: {} as RangeReader["blob"],
      context: { operation: "download blob" },
      transfer: linkSignal(undefined),
      etag: '"0x1"',
      stallTimeoutMs: 200,
      minBytesPerSecond: 100 * KiB,
      maxResumes: 0,
      onBytes: () => {},
    };
    let received = 0;
    for await (const piece of rangePieces(reader, 0, 30 * KiB, body)) {
      received += piece.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(received).toBe(30 * KiB);
    expect(destroyed).toBe(false);
  });

  test("a trickle between bursts never counts as progress", async () => {
    const data = bytes(64 * KiB);
    // Each response: one burst of 1 KiB, then a trickle. A burst used to reset the count of
    // fruitless resumes; it must not, or the download would go on for as long as bursts come.
    await using server = await startBlobStub(data, {
      answer: (request, _index, response) => {
        const range = /bytes=(\d+)-/.exec(String(request.headers["x-ms-range"] ?? ""));
        const start = Number(range?.[1] ?? 0);
        response.writeHead(range ? 206 : 200, {
          "content-length": String(data.length - start),
          ...(range ? { "content-range": `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
          etag: '"0x8DC0000000000B1"',
          "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
          "x-ms-blob-type": "BlockBlob",
        });
        response.write(data.subarray(start, start + KiB));
        let at = start + KiB;
        const timer = setInterval(() => {
          response.write(data.subarray(at, at + 10));
          at += 10;
        }, 50);
        response.once("close", () => clearInterval(timer));
        return true;
      },
    });
    const blob = await server.blob();
    const started = performance.now();
    const error = await (async () => {
      const { stream } = await downloadBlob(
        blob,
        { to: "stream" },
        { stallTimeoutMs: 300, maxResumes: 3 },
      );
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(isStorageError(error, "NetworkError"), String(error)).toBe(true);
    expect(server.gets).toBe(4);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
