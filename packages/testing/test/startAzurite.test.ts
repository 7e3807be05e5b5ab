import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, test } from "vitest";
import { createEmulatorTokenCredential, createTestContainer, startAzurite } from "../src/index.js";

describe("startAzurite", () => {
  test("serves an in-memory blob service on a loopback port, and stops cleanly", async () => {
    const azurite = await startAzurite();
    expect(azurite.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(azurite.connectionString).toContain(`BlobEndpoint=${azurite.blobEndpoint};`);
    const container = azurite.serviceClient.getContainerClient("hello");
    await container.create();
    await container.uploadBlockBlob("a.txt", "hi", 2);
    const body = await container.getBlobClient("a.txt").downloadToBuffer();
    expect(body.toString()).toBe("hi");
    await azurite.stop();
    await azurite.stop(); // idempotent
    const after = new BlobServiceClient(azurite.blobEndpoint, undefined, {
      retryOptions: { maxTries: 1 },
    });
    await expect(after.getContainerClient("hello").exists()).rejects.toThrow();
  });

  test("two instances share nothing", async () => {
    await using a = await startAzurite();
    await using b = await startAzurite();
    expect(a.blobEndpoint).not.toBe(b.blobEndpoint);
    await a.serviceClient.getContainerClient("only-in-a").create();
    expect(await b.serviceClient.getContainerClient("only-in-a").exists()).toBe(false);
  });

  test("HTTPS mode accepts emulated Entra ID tokens and issues user delegation keys", async () => {
    await using azurite = await startAzurite({ https: true });
    expect(azurite.blobEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect(azurite.certificate).toMatch(/BEGIN CERTIFICATE/);
    const credential = createEmulatorTokenCredential();
    const service = new BlobServiceClient(azurite.blobEndpoint, credential);
    await service.getContainerClient("entra").create();
    const key = await service.getUserDelegationKey(new Date(), new Date(Date.now() + 3_600_000));
    expect(key.signedObjectId).toBe("00000000-0000-0000-0000-0000000b10b1");
    expect(credential.tokenRequests).toBeGreaterThan(0);
  });

  test("HTTPS mode rejects a request without a valid token", async () => {
    await using azurite = await startAzurite({ https: true });
    const expired = createEmulatorTokenCredential({ lifetimeSeconds: -3_600 });
    const service = new BlobServiceClient(azurite.blobEndpoint, expired, {
      retryOptions: { maxTries: 1 },
    });
    await expect(service.getContainerClient("nope").create()).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  test("refuses to listen beyond loopback", async () => {
    await expect(startAzurite({ host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });
});

describe("createTestContainer", () => {
  test("creates a unique container and deletes it on dispose", async () => {
    await using azurite = await startAzurite();
    let name: string;
    {
      await using container = await createTestContainer(azurite.serviceClient, {
        prefix: "My Test!",
      });
      name = container.name;
      expect(name).toMatch(/^my-test-[a-z0-9]+-[0-9a-f]{8}$/);
      expect(await container.client.exists()).toBe(true);
    }
    expect(await azurite.serviceClient.getContainerClient(name).exists()).toBe(false);
  });
});
