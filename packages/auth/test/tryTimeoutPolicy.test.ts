// The per-try timeout (src/internal/tryTimeoutPolicy.ts): a try that shows no progress is aborted
// and retried, a body being sent counts as progress, and a caller's abort stays an abort.
import { createServer, type IncomingMessage } from "node:http";
import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createPipelineRequest,
  type RestError,
} from "@azure/core-rest-pipeline";
import { startSilentServer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { connect, diagnoseConnection, type StorageError } from "../src/index.js";
import { createTryTimeoutPolicy } from "../src/internal/tryTimeoutPolicy.js";
import { runOperation } from "../src/kit.js";

/** A server that reads request bodies at `bytesPerSecond`, then answers 201. */
async function startSlowReader(bytesPerSecond: number) {
  const server = createServer(async (req: IncomingMessage, res) => {
    let received = 0;
    req.pause();
    const tick = setInterval(() => {
      const step = bytesPerSecond / 10;
      const chunk = req.read(req.readableLength >= step ? step : undefined) as Buffer | null;
      if (chunk) received += chunk.length;
    }, 100);
    req.on("end", () => {
      clearInterval(tick);
      res.writeHead(201, {
        "content-md5": "",
        etag: '"0x1"',
        "last-modified": new Date().toUTCString(),
      });
      res.end();
    });
    req.on("readable", () => {});
    req.on("close", () => clearInterval(tick));
    void received;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/devstoreaccount1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("the per-try timeout counts body bytes sent as progress: a slow but moving upload succeeds", async () => {
  const server = await startSlowReader(1024 * 1024);
  try {
    const service = await connect({
      method: "emulator",
      emulator: {
        blobEndpoint: server.url,
        accountName: "devstoreaccount1",
        accountKey: Buffer.alloc(64).toString("base64"),
      },
      retry: { maxTries: 1, tryTimeoutMs: 400 },
    });
    const blob = service.getContainerClient("c").getBlockBlobClient("b");
    const body = Buffer.alloc(3 * 1024 * 1024, 1);
    // ~3 s at 1 MiB/s, far beyond the 400 ms per-try timeout: the drain allowance for what the
    // socket buffers hold (3 MiB at the default 640 KiB/s, 4.8 s) covers it.
    const response = await runOperation({ operation: "upload", client: service }, () =>
      blob.upload(body, body.length),
    );
    expect(response.etag).toBe('"0x1"');
  } finally {
    await server.close();
  }
}, 20_000);

test("a body sent to a server that never answers still times out, after the body's allowance", async () => {
  await using hole = await startSilentServer();
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: hole.url,
      accountName: "devstoreaccount1",
      accountKey: Buffer.alloc(64).toString("base64"),
    },
    retry: {
      maxTries: 2,
      tryTimeoutMs: 300,
      retryDelayMs: 10,
      minUploadBytesPerSecond: 1024 * 1024,
    },
  });
  const body = Buffer.alloc(256 * 1024, 2);
  const started = performance.now();
  const error = await runOperation({ operation: "upload", client: service }, () =>
    service.getContainerClient("c").getBlockBlobClient("b").upload(body, body.length),
  ).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "Timeout", tries: 2 });
  // 2 x (300 ms + 256 KiB at 1 MiB/s = 250 ms) plus one short backoff: about 1.1 s, never a hang.
  expect(performance.now() - started).toBeLessThan(5_000);
});

test("a 4 MiB single-request upload to a server that drains it and never answers times out after tryTimeoutMs plus a bounded drain, not after its size at the slowest speed", async () => {
  await using silent = await startSilentServer();
  const service = await connect({
    method: "emulator",
    emulator: silent,
    retry: { maxTries: 1, tryTimeoutMs: 1_000 },
  });
  const body = Buffer.alloc(4 * 1024 * 1024, 4);
  const started = performance.now();
  const error = await runOperation({ operation: "upload", client: service }, () =>
    service.getContainerClient("c").getBlockBlobClient("b").upload(body, body.length),
  ).catch((e: unknown) => e);
  const elapsed = performance.now() - started;
  expect(error).toMatchObject({ code: "Timeout", tries: 1 });
  // Before: 1 s + 4 MiB at 64 KiB/s = 65 s. Now at most what a send buffer holds drains.
  expect(elapsed).toBeLessThan(10_000);
  expect(elapsed).toBeGreaterThanOrEqual(1_000);
  // The message says which bound was hit.
  expect((error as Error).message).toMatch(
    /no response within 1000 ms after the 4 MiB body was sent \(plus \d+ ms allowed for it to drain at [\d.]+ [KM]iB\/s\)/,
  );
}, 90_000);

test("requests without a large body (here a HEAD and a 1 KiB upload) time out on every try, and a caller's abort stays an abort", async () => {
  await using hole = await startSilentServer();
  const emulator = {
    blobEndpoint: hole.url,
    accountName: "devstoreaccount1",
    accountKey: Buffer.alloc(64).toString("base64"),
  };
  const service = await connect({
    method: "emulator",
    emulator,
    retry: { maxTries: 2, tryTimeoutMs: 250, retryDelayMs: 10 },
  });
  const blob = service.getContainerClient("c").getBlockBlobClient("b");
  const small = Buffer.alloc(1024, 3);
  for (const [operation, call] of [
    ["get properties", () => blob.getProperties()],
    ["upload", () => blob.upload(small, small.length)],
  ] as const) {
    const started = performance.now();
    const error = await runOperation({ operation, client: service }, call).catch((e: unknown) => e);
    expect(error, operation).toMatchObject({ code: "Timeout", tries: 2 });
    // 2 x 250 ms (+ 1 KiB at 64 KiB/s = 16 ms) and one short backoff, never a hang.
    expect(performance.now() - started, operation).toBeLessThan(3_000);
  }

  // With a per-try timeout far away, the caller's signal ends the wait, reported as an abort.
  const patient = await connect({
    method: "emulator",
    emulator,
    retry: { maxTries: 1, tryTimeoutMs: 60_000 },
  });
  const started = performance.now();
  const error = await runOperation({ operation: "upload", client: patient }, () =>
    patient
      .getContainerClient("c")
      .getBlockBlobClient("b")
      .upload(small, small.length, { abortSignal: AbortSignal.timeout(200) }),
  ).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "Aborted" });
  expect(performance.now() - started).toBeLessThan(3_000);
});

test("where the HTTP client reports no upload progress (fetch, in a browser), a body gets tryTimeoutMs plus its whole size at minUploadBytesPerSecond", async () => {
  // The policy as the browser build installs it, over Node's HTTP client: the policy watches no
  // progress, exactly as with fetch, which reports none.
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(createTryTimeoutPolicy(400, 1024 * 1024, false));
  const client = createDefaultHttpClient();
  const put = (url: string) => {
    const body = Buffer.alloc(2 * 1024 * 1024, 1);
    const request = createPipelineRequest({
      url: `${url}/c/b`,
      method: "PUT",
      body,
      allowInsecureConnection: true,
    });
    request.headers.set("Content-Length", body.length);
    return pipeline.sendRequest(client, request);
  };
  // 2 MiB at 1 MiB/s takes about 2 s: within 400 ms + 2 MiB at 1 MiB/s (2.4 s).
  const moving = await startSlowReader(1024 * 1024);
  try {
    expect((await put(moving.url)).status).toBe(201);
  } finally {
    await moving.close();
  }
  // At 256 KiB/s it would take 8 s: the try ends at its deadline, and says why.
  const slower = await startSlowReader(256 * 1024);
  const started = performance.now();
  try {
    const error = (await put(slower.url).catch((e: unknown) => e)) as RestError;
    expect(error.code).toBe("BLOBKIT_TRY_TIMEOUT");
    expect(error.message).toBe(
      "no response within 400 ms plus 2000 ms for the 2 MiB body at 1 MiB/s",
    );
    expect(performance.now() - started).toBeGreaterThan(2_300);
    expect(performance.now() - started).toBeLessThan(4_000);
  } finally {
    await slower.close();
  }
});

describe("per-try timeout", () => {
  test("a server that accepts connections but never answers fails within tryTimeout x tries", async () => {
    await using hole = await startSilentServer();
    const service = await connect({
      method: "accountKey",
      accountName: "devstoreaccount1",
      accountKey: Buffer.alloc(64, 1).toString("base64"),
      accountUrl: hole.url,
      retry: { maxTries: 3, tryTimeoutMs: 300, retryDelayMs: 20, maxRetryDelayMs: 40 },
    });
    const started = performance.now();
    // Through the client's pipeline: diagnoseConnection makes one try, whatever the options.
    const error = (await runOperation({ operation: "check connection", client: service }, () =>
      service.getAccountInfo(),
    ).catch((e: unknown) => e)) as StorageError;
    const elapsed = performance.now() - started;
    expect(error?.code).toBe("Timeout");
    expect(error?.tries).toBe(3);
    expect(error?.message).toMatch(/per-try timeout on 3 tries/);
    // 3 x 300 ms plus at most 2 x 40 ms of backoff, plus scheduling slack.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(900 + 80 + 1_000);
    expect(hole.connections).toBe(3);
  });

  test("the caller's AbortSignal stops a hanging request at once", async () => {
    await using hole = await startSilentServer();
    const service = await connect({
      method: "accountKey",
      accountName: "devstoreaccount1",
      accountKey: Buffer.alloc(64, 1).toString("base64"),
      accountUrl: hole.url,
      retry: { tryTimeoutMs: 60_000 },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    // diagnoseConnection throws when cancelled: a cancelled check has no diagnosis to give.
    await expect(diagnoseConnection(service, { signal: controller.signal })).rejects.toMatchObject({
      name: "StorageError",
      code: "Aborted",
    });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
