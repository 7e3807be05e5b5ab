import { execFileSync } from "node:child_process";
import { type AddressInfo, createConnection, createServer } from "node:net";
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

/** Whether this machine can listen on the IPv6 loopback address. */
async function hasIpv6Loopback(): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(0, "::1", () => probe.close(() => resolve(true)));
  });
}

/** Whether a port on 127.0.0.1 accepts connections. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A free port on 127.0.0.1 (closed again before it is returned). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const listeningServers = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === "TCPServerWrap").length;

const ipv6 = await hasIpv6Loopback();

describe("start-up on other hosts, and a failed start-up", () => {
  test.skipIf(!ipv6)(
    "host '::1' serves on the IPv6 loopback, with the address in brackets (skipped where the machine has no IPv6 loopback)",
    async () => {
      await using azurite = await startAzurite({ host: "::1" });
      expect(azurite.blobEndpoint).toMatch(/^http:\/\/\[::1\]:\d+\/devstoreaccount1$/);
      const container = azurite.serviceClient.getContainerClient("ipv6");
      await container.create();
      expect(await container.exists()).toBe(true);
    },
  );

  test("a start-up cancelled while Azurite starts stops the server it started: the port is closed, no server handle is left", async () => {
    await (await startAzurite()).stop(); // Azurite is loaded: what follows is start-up only.
    const port = await freePort();
    await new Promise((resolve) => setTimeout(resolve, 100)); // closed servers release handles
    const before = listeningServers();
    const controller = new AbortController();
    // Fires during Azurite's start-up (store initialization), which completes, listening, first.
    setImmediate(() => controller.abort());
    const error = await startAzurite({ port, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(listeningServers()).toBeLessThanOrEqual(before);
    expect(await accepts(port)).toBe(false);
  });
});

describe("process: 'child'", () => {
  test("a synchronous child process reaches the child-process emulator; stop() ends it", async () => {
    const azurite = await startAzurite({ process: "child" });
    try {
      expect(azurite.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      const container = azurite.serviceClient.getContainerClient("sync");
      await container.create({ access: "blob" });
      await container.uploadBlockBlob("a.txt", "hello from a child", 18);
      // Blocks this process's event loop until the child process exits.
      const body = execFileSync(
        process.execPath,
        [
          "-e",
          "fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text()))",
          `${azurite.blobEndpoint}/sync/a.txt`,
        ],
        { encoding: "utf8", timeout: 20_000 },
      );
      expect(body.trim()).toBe("200 hello from a child");
    } finally {
      await azurite.stop();
    }
    expect(await accepts(Number(new URL(azurite.blobEndpoint).port))).toBe(false);
    expect(process.getActiveResourcesInfo()).not.toContain("ProcessWrap");
  }, 60_000);

  test("HTTPS works in the child too; a cancelled child start-up leaves no child process", async () => {
    {
      await using secure = await startAzurite({ process: "child", https: true });
      expect(secure.blobEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:/);
      await secure.serviceClient.getContainerClient("tls").create();
    }
    const error = await startAzurite({ process: "child", signal: AbortSignal.timeout(100) }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "TimeoutError" });
    expect(process.getActiveResourcesInfo()).not.toContain("ProcessWrap");
  }, 60_000);

  test("the in-process emulator cannot answer a synchronous child process (why the child mode exists)", async () => {
    await using azurite = await startAzurite();
    const container = azurite.serviceClient.getContainerClient("blocked");
    await container.create({ access: "blob" });
    await container.uploadBlockBlob("a.txt", "x", 1);
    expect(() =>
      execFileSync(
        process.execPath,
        [
          "-e",
          "fetch(process.argv[1]).then((r) => console.log(r.status))",
          `${azurite.blobEndpoint}/blocked/a.txt`,
        ],
        {
          encoding: "utf8",
          timeout: 1_500,
        },
      ),
    ).toThrow(/ETIMEDOUT/);
  });
});
