// Contract test: a blob too large for one Buffer (no emulator can hold one) must fail with a
// clear error after the first ranged GET, before any body is read, and never allocate it.

import { constants } from "node:buffer";
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { connect, isStorageError } from "@blobkit/auth";
import { AZURITE_ACCOUNT_KEY } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { downloadBlob } from "../src/index.js";

/** Answers every GET as a ranged read of a blob of `blobSize` bytes, then never sends the body. */
async function startHugeBlobServer(blobSize: number) {
  const requests: IncomingMessage[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push(req);
    const range = /bytes=(\d+)-(\d+)/.exec(String(req.headers["x-ms-range"] ?? ""));
    const start = Number(range?.[1] ?? 0);
    const end = Number(range?.[2] ?? 0);
    res.writeHead(206, {
      "content-length": String(end - start + 1),
      "content-range": `bytes ${start}-${end}/${blobSize}`,
      etag: '"0x8DC0FFEE"',
      "last-modified": new Date().toUTCString(),
      "x-ms-blob-type": "BlockBlob",
      "x-ms-request-id": "contract-1",
      "x-ms-version": "2025-11-05",
    });
    res.flushHeaders();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}/devstoreaccount1`,
    requests,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function blobOn(endpoint: string) {
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: endpoint,
      accountName: "devstoreaccount1",
      accountKey: AZURITE_ACCOUNT_KEY,
    },
    retry: { maxTries: 1 },
  });
  return service.getContainerClient("huge").getBlobClient("blob.bin");
}

describe("downloadBlob to bytes above Node's Buffer limit (contract)", () => {
  test("a blob larger than buffer.constants.MAX_LENGTH fails clearly after one ranged GET", async () => {
    await using server = await startHugeBlobServer(constants.MAX_LENGTH + 1);
    const blob = await blobOn(server.endpoint);
    for (const destination of [{ to: "bytes" }, { to: "string" }] as const) {
      const error = await downloadBlob(blob, destination, { stallTimeoutMs: 0 }).catch(
        (e: unknown) => e,
      );
      expect(isStorageError(error, "InvalidArgument")).toBe(true);
      expect((error as Error).message).toMatch(
        /more than the largest Buffer Node\.js can create \(buffer\.constants\.MAX_LENGTH = \d+\)\. Download to \{ path \} or \{ to: "stream" \} instead/,
      );
    }
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.method).toBe("GET");
      expect(request.url).toBe("/devstoreaccount1/huge/blob.bin");
      expect(request.headers["x-ms-range"]).toBe(`bytes=0-${16 * 1024 * 1024 - 1}`);
    }
  });

  test("a blob too large to allocate fails with the same advice", async () => {
    await using server = await startHugeBlobServer(2 ** 50);
    const blob = await blobOn(server.endpoint);
    const error = await downloadBlob(blob, { to: "bytes" }).catch((e: unknown) => e);
    expect(isStorageError(error, "InvalidArgument")).toBe(true);
    expect((error as Error).message).toMatch(
      /could not allocate 1125899906842624 bytes .*Download to \{ path \} or \{ to: "stream" \} instead/,
    );
  });
});
