import { request as httpRequest } from "node:http";
import { connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  type SilentServer,
  startSilentServer,
} from "../src/index.js";
import { describe, expect, test } from "../src/vitest.js";

/** Whether `promise` is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const waited = Symbol("pending");
  const timer = new Promise((resolve) => setTimeout(() => resolve(waited), ms));
  return (await Promise.race([promise, timer])) === waited;
}

/** Sends a POST with `body` to the silent server; resolves `sent` once the body is written. */
function post(server: SilentServer, body: Buffer) {
  let sent!: () => void;
  const written = new Promise<void>((resolve) => {
    sent = resolve;
  });
  const settled = new Promise<string>((resolve) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: server.port, method: "POST", path: "/x", agent: false },
      () => resolve("answered"),
    );
    req.on("error", (error) => resolve(error.message));
    req.end(body, () => sent());
  });
  return { written, settled };
}

describe("startSilentServer", () => {
  test("listens on a loopback port with the development account, ready for connect()", async () => {
    await using silent = await startSilentServer();
    expect(silent.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(silent.url).toBe(silent.blobEndpoint);
    expect(new URL(silent.url).port).toBe(String(silent.port));
    expect(silent.accountName).toBe(AZURITE_ACCOUNT_NAME);
    expect(silent.accountKey).toBe(AZURITE_ACCOUNT_KEY);
    expect(silent.https).toBe(false);
    expect(silent.connections).toBe(0);
  });

  test("reads a whole upload and never answers; each connection is counted", async () => {
    await using silent = await startSilentServer();
    const first = post(silent, Buffer.alloc(8 * 1024 * 1024, 1));
    // The body is read and discarded, so it is sent in full however large the socket buffers are.
    await first.written;
    expect(await pendingAfter(first.settled, 300)).toBe(true);
    const second = post(silent, Buffer.alloc(16));
    await second.written;
    expect(await pendingAfter(second.settled, 100)).toBe(true);
    expect(silent.connections).toBe(2);
  });

  test("an SDK client with its own per-try timeout set is still waiting: the silence is total", async () => {
    await using silent = await startSilentServer();
    const sdk = new BlobServiceClient(
      silent.blobEndpoint,
      new StorageSharedKeyCredential(silent.accountName, silent.accountKey),
      // The SDK only sends this to the server as `timeout=`; nobody here enforces it.
      { retryOptions: { maxTries: 1, tryTimeoutInMs: 100 } },
    );
    const controller = new AbortController();
    const properties = sdk.getProperties({ abortSignal: controller.signal });
    expect(await pendingAfter(properties, 500)).toBe(true);
    controller.abort();
    await expect(properties).rejects.toMatchObject({ name: "AbortError" });
    expect(silent.connections).toBe(1);
  });

  test("drain: false reads nothing, so a large upload stalls mid-body", async () => {
    await using silent = await startSilentServer({ drain: false });
    const socket = netConnect({ host: "127.0.0.1", port: silent.port });
    socket.on("error", () => {});
    // Far more than loopback socket buffers hold (a few MiB each way).
    const flushed = new Promise<void>((resolve) =>
      socket.write(Buffer.alloc(64 * 1024 * 1024), () => resolve()),
    );
    expect(await pendingAfter(flushed, 500)).toBe(true);
    expect(socket.writableLength).toBeGreaterThan(0);
    socket.destroy();
    expect(silent.connections).toBe(1);
  });

  test("stop() destroys open connections and closes the port, and is safe to call twice", async () => {
    const silent = await startSilentServer();
    const pending = post(silent, Buffer.alloc(16));
    await pending.written;
    await expect.poll(() => silent.connections).toBe(1);
    await Promise.all([silent.stop(), silent.stop()]);
    await silent[Symbol.asyncDispose]();
    expect(await pending.settled).toMatch(/socket hang up|ECONNRESET/);
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port: silent.port, path: "/" }, () =>
        resolve("answered"),
      );
      req.on("error", (error) => resolve((error as NodeJS.ErrnoException).code ?? ""));
      req.end();
    });
    expect(refused).toBe("ECONNREFUSED");
  });

  test("with a certificate it completes the TLS handshake, then stays silent", async ({
    azuriteHttps,
  }) => {
    await using silent = await startSilentServer({
      https: {
        certificate: azuriteHttps.certificate ?? "",
        privateKey: azuriteHttps.certificateKey ?? "",
      },
    });
    expect(silent.blobEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(silent.https).toBe(true);
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: silent.port,
      ca: azuriteHttps.certificate ?? "",
    });
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", () => {});
    await new Promise<void>((resolve) => socket.once("secureConnect", () => resolve()));
    expect(socket.authorized).toBe(true);
    socket.write("GET /devstoreaccount1?comp=list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await expect.poll(() => silent.connections).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual([]);
    socket.destroy();
  });

  test("without a certificate, an HTTPS client waits in its handshake", async () => {
    await using silent = await startSilentServer();
    const socket = tlsConnect({ host: "127.0.0.1", port: silent.port, rejectUnauthorized: false });
    socket.on("error", () => {});
    const handshake = new Promise<void>((resolve) => socket.once("secureConnect", () => resolve()));
    expect(await pendingAfter(handshake, 300)).toBe(true);
    expect(silent.connections).toBe(1);
    socket.destroy();
  });
});
