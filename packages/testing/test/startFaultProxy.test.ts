import { createHash } from "node:crypto";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { describe, expect, test } from "vitest";
import { type FaultRule, startAzurite, startFaultProxy } from "../src/index.js";

async function setup(rules: FaultRule[], seed = 1) {
  const azurite = await startAzurite();
  const seedClient = azurite.serviceClient.getContainerClient("data");
  await seedClient.create();
  await seedClient.uploadBlockBlob("big.bin", Buffer.alloc(256 * 1024, 7), 256 * 1024);
  const proxy = await startFaultProxy(azurite.blobEndpoint, { rules, seed });
  const client = new BlobServiceClient(
    proxy.url,
    new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
    { retryOptions: { maxTries: 1 } },
  );
  return {
    proxy,
    blob: client.getContainerClient("data").getBlobClient("big.bin"),
    async [Symbol.asyncDispose]() {
      await proxy.stop();
      await azurite.stop();
    },
  };
}

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("startFaultProxy", () => {
  test("forwards untouched when no rule fires", async () => {
    await using env = await setup([]);
    expect((await env.blob.downloadToBuffer()).length).toBe(256 * 1024);
    expect(env.proxy.stats.requests).toBeGreaterThan(0);
  });

  test("answers a status without forwarding", async () => {
    await using env = await setup([{ fault: "status", status: 503, times: 1 }]);
    await expect(env.blob.getProperties()).rejects.toMatchObject({ statusCode: 503 });
    expect((await env.blob.getProperties()).contentLength).toBe(256 * 1024);
    expect(env.proxy.stats.faults.status).toBe(1);
  });

  test("resets the connection", async () => {
    await using env = await setup([{ fault: "reset", times: 1 }]);
    await expect(env.blob.getProperties()).rejects.toThrow();
    expect(env.proxy.stats.faults.reset).toBe(1);
  });

  test("cuts a response mid-body", async () => {
    await using env = await setup([{ fault: "cut-body", method: "GET", cutAfter: 1000, times: 1 }]);
    const response = await env.blob.download();
    const chunks: Buffer[] = [];
    const error = await new Promise<unknown>((resolve) => {
      response.readableStreamBody?.on("data", (c: Buffer) => chunks.push(c));
      response.readableStreamBody?.on("error", resolve);
      response.readableStreamBody?.on("end", () => resolve(undefined));
      response.readableStreamBody?.on("close", () => resolve("closed"));
    });
    expect(error).toBeDefined();
    expect(Buffer.concat(chunks).length).toBe(1000);
  });

  test("changes one byte of a response body, at a fraction or an offset, headers untouched", async () => {
    await using env = await setup([
      { fault: "corrupt-body", method: "GET", times: 1 },
      { fault: "corrupt-body", method: "GET", corruptAt: 5, times: 1 },
    ]);
    const original = Buffer.alloc(256 * 1024, 7);
    for (const at of [128 * 1024, 5]) {
      const response = await env.blob.download();
      const body = await streamToBuffer(response.readableStreamBody);
      expect(response.contentLength).toBe(original.length);
      expect(body.length).toBe(original.length);
      const changed = [...body.keys()].filter((i) => body[i] !== original[i]);
      expect(changed).toEqual([at]);
      expect(body[at]).toBe(7 ^ 0xff);
    }
    expect(await env.blob.downloadToBuffer()).toEqual(original);
    expect(env.proxy.stats.faults["corrupt-body"]).toBe(2);
  });

  test("changes one byte of a request body: refused with a Content-MD5, stored without one", async () => {
    await using env = await setup([{ fault: "corrupt-request", method: "PUT", times: 2 }]);
    const block = env.blob.getBlockBlobClient();
    const data = Buffer.alloc(1000, 1);
    const md5 = createHash("md5").update(data).digest();
    await expect(
      block.upload(data, data.length, { transactionalContentMD5: md5 }),
    ).rejects.toMatchObject({ statusCode: 400, code: "Md5Mismatch" });
    await block.upload(data, data.length);
    const stored = await block.downloadToBuffer();
    expect(stored[500]).toBe(1 ^ 0xff);
    expect(env.proxy.stats.faults["corrupt-request"]).toBe(2);
  });

  test("stalls: the request never gets an answer", async () => {
    await using env = await setup([{ fault: "stall", times: 1 }]);
    await expect(
      env.blob.getProperties({ abortSignal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(env.proxy.stats.faults.stall).toBe(1);
  });

  test("the same seed makes the same decisions", async () => {
    const run = async (seed: number) => {
      await using env = await setup([{ fault: "status", rate: 0.5 }], seed);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 20; i++) {
        outcomes.push(
          await env.blob.getProperties().then(
            () => true,
            () => false,
          ),
        );
      }
      return outcomes;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(a.filter(Boolean).length).toBeGreaterThan(3);
    expect(a.filter((x) => !x).length).toBeGreaterThan(3);
  });

  test("refuses non-loopback targets", async () => {
    await expect(startFaultProxy("http://10.0.0.1:10000/devstoreaccount1")).rejects.toThrow(
      /loopback/,
    );
  });
});
