// The retry policy BlobKit installs in the SDK pipeline (src/internal/retryPipelinePolicy.ts):
// which failures are retried, what onRetry is told, and what the error says when the tries run out.

import { createHash } from "node:crypto";
import type { BlobServiceClient } from "@azure/storage-blob";
import { startFaultProxy, startSilentServer } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { connect, type StorageError } from "../src/index.js";
import { runOperation } from "../src/kit.js";

/**
 * Get Account Information through the client's pipeline, with its retries. (diagnoseConnection
 * makes one try whatever the retry options, so it cannot show them.)
 */
async function accountInfo(
  service: BlobServiceClient,
): Promise<{ ok: boolean; error?: StorageError }> {
  try {
    await runOperation({ operation: "get account information", client: service }, () =>
      service.getAccountInfo(),
    );
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error as StorageError };
  }
}

describe("retries", () => {
  test("503 bursts are retried with backoff and reported to onRetry", async ({ azurite }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "status", status: 503, times: 2 }],
    });
    const events: Array<{ attempt: number; reason: string }> = [];
    const service = await connect({
      method: "emulator",
      emulator: { ...azurite, blobEndpoint: proxy.url },
      retry: {
        retryDelayMs: 10,
        onRetry: (e) => events.push({ attempt: e.attempt, reason: e.reason }),
      },
    });
    expect((await accountInfo(service)).ok).toBe(true);
    expect(events).toEqual([
      { attempt: 1, reason: "throttled" },
      { attempt: 2, reason: "throttled" },
    ]);
  });

  test("when every try is throttled the error says so and counts the tries", async ({
    azurite,
  }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "status", status: 503 }],
    });
    const service = await connect({
      method: "emulator",
      emulator: { ...azurite, blobEndpoint: proxy.url },
      retry: { maxTries: 3, retryDelayMs: 5 },
    });
    const { error } = await accountInfo(service);
    expect(error?.code).toBe("Throttled");
    expect(error?.tries).toBe(3);
    expect(proxy.stats.requests).toBe(3);
  });

  test("a body the service refused as changed on the way (400 Md5Mismatch) is sent again; on every try, the error says so", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [
        { fault: "corrupt-request", method: "PUT", path: /once\.txt/, times: 1 },
        { fault: "corrupt-request", method: "PUT", path: /always\.txt/ },
      ],
    });
    const events: Array<{ attempt: number; reason: string; statusCode?: number }> = [];
    const service = await connect({
      method: "emulator",
      emulator: { ...azurite, blobEndpoint: proxy.url },
      retry: {
        maxTries: 3,
        retryDelayMs: 5,
        onRetry: ({ attempt, reason, statusCode }) =>
          events.push({ attempt, reason, ...(statusCode ? { statusCode } : {}) }),
      },
    });
    const blobs = service.getContainerClient(container.name);
    const data = Buffer.from("twelve bytes");
    const md5 = createHash("md5").update(data).digest();
    const put = (name: string) =>
      runOperation({ operation: "upload blob", client: blobs }, () =>
        blobs.getBlockBlobClient(name).upload(data, data.length, { transactionalContentMD5: md5 }),
      );
    await put("once.txt");
    expect(events).toEqual([{ attempt: 1, reason: "corrupted", statusCode: 400 }]);
    expect((await blobs.getBlobClient("once.txt").downloadToBuffer()).toString()).toBe(
      "twelve bytes",
    );

    const error = (await put("always.txt").catch((e: unknown) => e)) as StorageError;
    expect(error).toMatchObject({ code: "BadRequest", serviceCode: "Md5Mismatch", tries: 3 });
    expect(error.message).toMatch(
      /refused the body on 3 tries \(400 Md5Mismatch\).*nothing was stored/,
    );
    expect(await blobs.getBlobClient("always.txt").exists()).toBe(false);
  });

  test("a refused connection is a NetworkError naming the host", async () => {
    const hole = await startSilentServer();
    const url = hole.url;
    await hole.stop();
    const service = await connect({
      method: "emulator",
      emulator: {
        blobEndpoint: url,
        accountName: "devstoreaccount1",
        accountKey: Buffer.alloc(64).toString("base64"),
      },
      retry: { maxTries: 2, retryDelayMs: 5 },
    });
    const { error } = await accountInfo(service);
    expect(error?.code).toBe("NetworkError");
    expect(error?.message).toMatch(/ECONNREFUSED/);
    expect(error?.message).toContain(new URL(url).host);
  });
});
